package org.kernelrig.power;

import org.kernelrig.LabException;

/** Builds the errors of the power drivers, so every one names the board and the switch. */
final class PowerFailure {

    private PowerFailure() {
    }

    static LabException of(String board, PowerSwitch powerSwitch, String what, String hint) {
        return of(board, powerSwitch, what, hint, null);
    }

    static LabException of(String board, PowerSwitch powerSwitch, String what, String hint, Throwable cause) {
        return new LabException("board " + board + ": power switch " + powerSwitch.describe() + ": " + what, hint, cause);
    }
}
