package org.kernelrig.power;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.kernelrig.LabException;

/**
 * A relay of a Devantech ETH relay board (ETH002, ETH008, ETH484, ETH8020...)
 * over its TCP command port, 17494 by default.
 *
 * <p>Protocol: binary frames. {@code 0x20 <relay> <time>} makes a relay
 * active (on) and {@code 0x21 <relay> <time>} inactive (off), time 0 meaning
 * permanently; the board answers one byte, 0 for success and 1 for failure.
 * {@code 0x24} reads the outputs: one bit per relay, relays 1..8 in the first
 * byte (bit 0 = relay 1), 9..16 in the second, and so on (the number of bytes
 * depends on the model). When the board has a TCP password, each connection
 * first sends {@code 0x79} followed by the password; the board answers 1 when
 * it is accepted and 2 when not.
 *
 * <p>Inventory: {@code power: {driver: devantech-eth, host: 192.168.1.60, relay: 1}}
 * ({@code port} defaults to 17494; {@code password} when the board has one;
 * {@code timeout} defaults to 5s).
 */
public final class DevantechEthRelay implements PowerSwitch {

    static final int DIGITAL_ACTIVE = 0x20;
    static final int DIGITAL_INACTIVE = 0x21;
    static final int DIGITAL_GET_OUTPUTS = 0x24;
    static final int PASSWORD_ENTRY = 0x79;

    private final String board;
    private final String host;
    private final int port;
    private final int relay;
    private final String password;
    private final Duration timeout;

    public DevantechEthRelay(String board, String host, int port, int relay, String password, Duration timeout) {
        this.board = board;
        this.host = host;
        this.port = port;
        this.relay = relay;
        this.password = password;
        this.timeout = timeout;
    }

    @Override
    public void on() throws LabException {
        set(DIGITAL_ACTIVE);
    }

    @Override
    public void off() throws LabException {
        set(DIGITAL_INACTIVE);
    }

    private void set(int command) throws LabException {
        String what = command == DIGITAL_ACTIVE ? "switching on" : "switching off";
        byte[] answer = exchange(new byte[] {(byte) command, (byte) relay, 0}, 1, what);
        if (answer[0] != 0) {
            throw PowerFailure.of(board, this, "the board refused " + what + " (answer " + (answer[0] & 0xff) + ")",
                    "does the board have relay " + relay + "?");
        }
    }

    @Override
    public Optional<State> state() throws LabException {
        int index = (relay - 1) / 8;
        byte[] outputs = exchange(new byte[] {(byte) DIGITAL_GET_OUTPUTS}, index + 1, "reading the outputs");
        boolean on = (outputs[index] & (1 << ((relay - 1) % 8))) != 0;
        return Optional.of(on ? State.ON : State.OFF);
    }

    /** One connection: the password if any, then the command and its answer of {@code answerLength} bytes. */
    private byte[] exchange(byte[] command, int answerLength, String what) throws LabException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (password != null) {
                byte[] secret = password.getBytes(StandardCharsets.US_ASCII);
                byte[] entry = new byte[secret.length + 1];
                entry[0] = (byte) PASSWORD_ENTRY;
                System.arraycopy(secret, 0, entry, 1, secret.length);
                out.write(entry);
                out.flush();
                int verdict = readFully(in, 1, "the password")[0];
                if (verdict != 1) {
                    throw PowerFailure.of(board, this, "the board refused the password (answer " + (verdict & 0xff)
                            + ")", "check power.password against the board's TCP/IP password");
                }
            }
            out.write(command);
            out.flush();
            return readFully(in, answerLength, what);
        } catch (SocketTimeoutException e) {
            throw PowerFailure.of(board, this, "no answer within " + timeout.toMillis() + " ms while " + what,
                    "is " + host + ":" + port + " a Devantech ETH board? is its TCP port or password set as here?", e);
        } catch (IOException e) {
            throw PowerFailure.of(board, this, "cannot reach " + host + ":" + port + " while " + what + ": "
                    + e.getMessage(), "is the board powered and on the network? ping " + host, e);
        }
    }

    private byte[] readFully(InputStream in, int length, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("the board closed the connection before answering " + what);
        }
        return bytes;
    }

    @Override
    public String describe() {
        return "devantech-eth " + host + ":" + port + " relay " + relay;
    }
}
