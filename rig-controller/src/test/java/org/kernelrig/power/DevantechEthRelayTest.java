package org.kernelrig.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelrig.LabException;

/** The Devantech driver against a loopback emulator of an ETH8020 (20 relays, 3 output bytes). */
class DevantechEthRelayTest {

    /** An ETH8020 on loopback: TCP password, digital active/inactive, get outputs. */
    static final class Eth8020 implements AutoCloseable {
        final ServerSocket server;
        final String password;
        int outputs; // bit 0 = relay 1
        final List<String> frames = new CopyOnWriteArrayList<>();

        Eth8020(String password) throws IOException {
            this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            this.password = password;
            Thread thread = new Thread(this::serve, "eth8020");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (true) {
                try (Socket socket = server.accept()) {
                    session(socket.getInputStream(), socket.getOutputStream());
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        }

        /** Reads frames and answers them; a frame is recorded before its answer goes out. */
        private void session(InputStream in, OutputStream out) throws IOException {
            boolean unlocked = password == null;
            int command;
            while ((command = in.read()) >= 0) {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                frame.write(command);
                byte[] answer;
                switch (command) {
                    case 0x79 -> {
                        byte[] given = new byte[in.available()];
                        in.readNBytes(given, 0, given.length);
                        frame.write(given);
                        unlocked = password != null && password.equals(new String(given));
                        answer = new byte[] {(byte) (unlocked ? 1 : 2)};
                    }
                    case 0x20, 0x21 -> {
                        int relay = in.read();
                        int time = in.read();
                        frame.write(relay);
                        frame.write(time);
                        if (!unlocked || relay < 1 || relay > 20) {
                            answer = new byte[] {1};
                        } else {
                            outputs = command == 0x20 ? outputs | 1 << (relay - 1) : outputs & ~(1 << (relay - 1));
                            answer = new byte[] {0};
                        }
                    }
                    case 0x24 -> answer = new byte[] {(byte) outputs, (byte) (outputs >> 8), (byte) (outputs >> 16)};
                    default -> answer = new byte[0];
                }
                frames.add(HexFormat.ofDelimiter(" ").formatHex(frame.toByteArray()));
                out.write(answer);
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private Eth8020 board;

    @BeforeEach
    void start() throws IOException {
        board = new Eth8020(null);
    }

    @AfterEach
    void stop() throws IOException {
        board.close();
    }

    @Test
    void switchesAndReadsARelayInTheSecondOutputByte() throws Exception {
        DevantechEthRelay relay = new DevantechEthRelay("imx8", "127.0.0.1", board.port(), 10, null,
                Duration.ofSeconds(5));
        relay.on();
        assertEquals(Optional.of(PowerSwitch.State.ON), relay.state());
        relay.off();
        assertEquals(Optional.of(PowerSwitch.State.OFF), relay.state());
        assertEquals(List.of("20 0a 00", "24", "21 0a 00", "24"), board.frames);
    }

    @Test
    void sendsThePasswordFirstAndReportsARefusedOne() throws Exception {
        board.close();
        board = new Eth8020("apple");
        new DevantechEthRelay("imx8", "127.0.0.1", board.port(), 1, "apple", Duration.ofSeconds(5)).on();
        assertEquals(List.of("79 61 70 70 6c 65", "20 01 00"), board.frames);

        LabException e = assertThrows(LabException.class,
                () -> new DevantechEthRelay("imx8", "127.0.0.1", board.port(), 1, "pear", Duration.ofSeconds(5)).on());
        assertEquals("board imx8: power switch devantech-eth 127.0.0.1:" + board.port()
                + " relay 1: the board refused the password (answer 2)", e.getMessage());
    }

    @Test
    void aFailureAnswerIsALabError() {
        LabException e = assertThrows(LabException.class,
                () -> new DevantechEthRelay("imx8", "127.0.0.1", board.port(), 21, null, Duration.ofSeconds(5)).on());
        assertTrue(e.getMessage().endsWith("relay 21: the board refused switching on (answer 1)"), e.getMessage());
        assertTrue(e.hint().contains("relay 21"));
    }

    @Test
    void aSilentBoardTimesOut() throws Exception {
        try (SilentPeer silent = new SilentPeer()) {
            LabException e = assertThrows(LabException.class, () -> new DevantechEthRelay("imx8", "127.0.0.1",
                    silent.port(), 1, null, Duration.ofMillis(300)).off());
            assertTrue(e.getMessage().endsWith("no answer within 300 ms while switching off"), e.getMessage());
        }
    }

    @Test
    void anUnreachableBoardSaysSo() throws Exception {
        // A port held by a socket that does not listen: connections are refused, and no other program can take it.
        try (java.net.Socket held = new java.net.Socket()) {
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = held.getLocalPort();
            LabException e = assertThrows(LabException.class,
                    () -> new DevantechEthRelay("imx8", "127.0.0.1", port, 1, null, Duration.ofSeconds(2)).state());
            assertTrue(e.getMessage().contains("cannot reach 127.0.0.1:" + port), e.getMessage());
            assertTrue(e.hint().startsWith("is the board powered"), e.hint());
        }
    }
}
