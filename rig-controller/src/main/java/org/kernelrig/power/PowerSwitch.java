package org.kernelrig.power;

import java.time.Duration;
import java.util.Optional;

import org.kernelrig.LabException;

/**
 * What stands between a board and its power supply: a relay channel, a PDU
 * outlet, a smart plug, QEMU, or a person. Every failure to switch is a
 * {@link LabException} naming the board and driver.
 */
public interface PowerSwitch extends AutoCloseable {

    /** The power state, where the hardware can tell it. */
    enum State { ON, OFF }

    void on() throws LabException;

    void off() throws LabException;

    /** Off, the board's off-time (so its capacitors drain and it really resets), then on. */
    default void cycle(Duration offTime) throws LabException {
        off();
        try {
            Thread.sleep(offTime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted during the power cycle; the board was left off");
        }
        on();
    }

    /** The state as the device reports it, or empty when it cannot tell (most relays). */
    Optional<State> state() throws LabException;

    /** True when the switch can reset the board without cutting its power (keeps RAM-backed crash records). */
    default boolean canReset() {
        return false;
    }

    /** A warm reset, where {@link #canReset()} says it is possible. */
    default void reset() throws LabException {
        throw new LabException(describe() + " cannot reset a board without cutting its power");
    }

    /** The driver and its target, for messages: {@code lcus /dev/ttyUSB0 channel 1}. */
    String describe();

    @Override
    default void close() {
    }
}
