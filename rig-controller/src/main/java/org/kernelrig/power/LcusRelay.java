package org.kernelrig.power;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.serial.Framing;
import org.kernelrig.serial.SerialDevice;

/**
 * A channel of an LCUS-1/2/4/8 USB relay board (a CH340 USB serial chip in
 * front of the relays).
 *
 * <p>Protocol: at 9600 baud 8N1, each command is four bytes
 * {@code A0 <channel> <state> <check>}: channel 1..8, state {@code 00} off or
 * {@code 01} on, and check the low byte of the sum of the first three (so
 * {@code A0 01 01 A2} closes channel 1 and {@code A0 01 00 A1} opens it). The
 * board does not answer, and most of these boards cannot report a channel's
 * state, so {@link #state()} is empty and a command can only fail when the port
 * cannot be opened or written.
 *
 * <p>Inventory: {@code power: {driver: lcus, device: /dev/serial/by-id/..., channel: 1}}
 * ({@code baud} defaults to 9600).
 */
public final class LcusRelay implements PowerSwitch {

    private final String board;
    private final Path device;
    private final int channel;
    private final int baud;

    public LcusRelay(String board, Path device, int channel, int baud) {
        if (channel < 1 || channel > 8) {
            throw new IllegalArgumentException("an LCUS channel is 1..8, got " + channel);
        }
        this.board = board;
        this.device = device;
        this.channel = channel;
        this.baud = baud;
    }

    /** The four bytes that switch {@code channel}. */
    public static byte[] frame(int channel, boolean on) {
        int state = on ? 1 : 0;
        return new byte[] {(byte) 0xA0, (byte) channel, (byte) state, (byte) ((0xA0 + channel + state) & 0xff)};
    }

    @Override
    public void on() throws LabException {
        send(true);
    }

    @Override
    public void off() throws LabException {
        send(false);
    }

    private void send(boolean on) throws LabException {
        try (SerialDevice port = SerialDevice.open(device, baud, Framing.EIGHT_N_ONE)) {
            port.write(frame(channel, on));
        } catch (IOException e) {
            throw PowerFailure.of(board, this, "cannot switch " + (on ? "on" : "off") + ": " + e.getMessage(),
                    "is the relay board plugged in? ls -l /dev/serial/by-id/ ; is another program using the port?", e);
        }
    }

    /** Empty: the LCUS boards do not answer. */
    @Override
    public Optional<State> state() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "lcus " + device + " channel " + channel;
    }
}
