package org.kernelrig.power;

import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.virtualboard.VirtualBoard;

/**
 * The virtual board's power switch: on starts its QEMU (building the image
 * on first use), off ends QEMU through QMP {@code quit} and returns once the
 * process is gone, so an off board has no SSH and no console, like a board
 * without power. Reset is QMP {@code system_reset}.
 */
public final class QemuPowerSwitch implements PowerSwitch {

    private final VirtualBoard board;

    public QemuPowerSwitch(VirtualBoard board) {
        this.board = board;
    }

    @Override
    public void on() throws LabException {
        board.start();
    }

    @Override
    public void off() throws LabException {
        board.stop();
    }

    /** ON while QEMU runs the machine (whatever the guest does, even after a panic), OFF when QEMU is gone. */
    @Override
    public Optional<State> state() throws LabException {
        return Optional.of(board.status().isPresent() ? State.ON : State.OFF);
    }

    @Override
    public boolean canReset() {
        return true;
    }

    @Override
    public void reset() throws LabException {
        board.reset();
    }

    @Override
    public String describe() {
        return "qemu " + board.qmpSocket();
    }
}
