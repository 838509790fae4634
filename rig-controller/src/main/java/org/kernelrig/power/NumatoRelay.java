package org.kernelrig.power;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.serial.Framing;
import org.kernelrig.serial.SerialDevice;

/**
 * A relay of a Numato Lab USB relay module (a USB CDC serial port).
 *
 * <p>Protocol: ASCII commands ended by a carriage return: {@code relay on N},
 * {@code relay off N}, {@code relay read N}. The module echoes what it
 * receives and ends its answer with a {@code >} prompt; {@code relay read}
 * answers {@code on} or {@code off} between the echo and the prompt. Relays
 * 0..9 are written as their digit and relays 10..31 as the upper-case letters
 * A..V, as the 16- and 32-relay modules expect ({@code relay on 12} would
 * switch relay 1 there). A module that does not give its prompt within the
 * timeout is reported as not answering.
 *
 * <p>Inventory: {@code power: {driver: numato, device: /dev/serial/by-id/..., relay: 0}}
 * ({@code baud} defaults to 19200, {@code timeout} to 2s).
 */
public final class NumatoRelay implements PowerSwitch {

    private static final int MAX_ANSWER = 4096;

    private final String board;
    private final Path device;
    private final int relay;
    private final int baud;
    private final Duration timeout;

    public NumatoRelay(String board, Path device, int relay, int baud, Duration timeout) {
        relayName(relay);
        this.board = board;
        this.device = device;
        this.relay = relay;
        this.baud = baud;
        this.timeout = timeout;
    }

    /** How the module's commands name a relay: {@code 0}..{@code 9}, then {@code A}..{@code V}. */
    public static String relayName(int relay) {
        if (relay < 0 || relay > 31) {
            throw new IllegalArgumentException("a Numato relay is 0..31, got " + relay);
        }
        return relay < 10 ? String.valueOf(relay) : String.valueOf((char) ('A' + relay - 10));
    }

    @Override
    public void on() throws LabException {
        command("relay on " + relayName(relay));
    }

    @Override
    public void off() throws LabException {
        command("relay off " + relayName(relay));
    }

    @Override
    public Optional<State> state() throws LabException {
        String command = "relay read " + relayName(relay);
        String answer = command(command);
        String reply = answer.substring(answer.indexOf(command) + command.length()).replace(">", "").trim();
        return switch (reply) {
            case "on" -> Optional.of(State.ON);
            case "off" -> Optional.of(State.OFF);
            default -> throw PowerFailure.of(board, this, "unexpected answer to '" + command + "': '" + reply + "'",
                    "is it a Numato relay module? check the device path");
        };
    }

    /** Sends a command and returns what the module answered up to its prompt. */
    private String command(String command) throws LabException {
        try (SerialDevice port = SerialDevice.open(device, baud, Framing.EIGHT_N_ONE)) {
            port.write((command + "\r").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[256];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String text = answer.toString(StandardCharsets.US_ASCII);
                int echo = text.indexOf(command);
                if (echo >= 0 && text.indexOf('>', echo + command.length()) >= 0) {
                    return text;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || answer.size() > MAX_ANSWER) {
                    throw PowerFailure.of(board, this, "no answer to '" + command + "' within " + timeout.toMillis()
                            + " ms" + (answer.size() > 0 ? " (got '" + printable(text) + "')" : ""),
                            "is it a Numato relay module at " + baud + " baud? unplug and replug it if it hangs");
                }
                int n = port.read(buffer, left);
                answer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw PowerFailure.of(board, this, e.getMessage(),
                    "is the relay module plugged in? ls -l /dev/serial/by-id/ ; is another program using the port?", e);
        }
    }

    private static String printable(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return shown.replace("\r", "\\r").replace("\n", "\\n").replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String describe() {
        return "numato " + device + " relay " + relay;
    }
}
