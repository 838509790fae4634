package org.kernelrig.serial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.testing.RefusingPort;
import org.kernelrig.console.ConsoleLine;

/** The TCP serial console against a loopback server that behaves as ser2net does, raw and telnet. */
class TcpSerialConsoleTest {

    private static final int IAC = 255, WILL = 251, DO = 253, DONT = 254, WONT = 252, SB = 250, SE = 240;

    @TempDir
    Path dir;

    private ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<ConsoleLine> lines = new CopyOnWriteArrayList<>();
    private SerialConsole console;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException e) {
                // the server socket was closed at the end of the test
            }
        }, "serial-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        if (console != null) {
            console.close();
        }
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    private SerialConsole start(boolean telnet) throws LabException {
        console = new SerialConsole("bench-2", new TcpSerialLink("127.0.0.1", server.getLocalPort(), telnet),
                dir.resolve("serial.log"), new SerialConsole.Reconnect(Duration.ofMillis(20), Duration.ofMillis(200)),
                Duration.ofSeconds(2), LineAssembler.DEFAULT_MAX_LINE_BYTES);
        console.subscribe(lines::add);
        console.start();
        return console;
    }

    private Socket nextConnection() throws InterruptedException {
        Socket socket = accepted.poll(10, TimeUnit.SECONDS);
        if (socket == null) {
            throw new AssertionError("rig did not connect");
        }
        return socket;
    }

    private List<String> texts() {
        return lines.stream().map(ConsoleLine::text).toList();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void rawBytesAreLoggedAndADroppedConnectionIsReconnected() throws Exception {
        start(false);
        Socket first = nextConnection();
        first.getOutputStream().write("[   12.5] sysrq: Trigger a crash\r\n".getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(10)).until(() -> texts().contains("[   12.5] sysrq: Trigger a crash"));
        first.close(); // the serial server drops the client when the board resets

        Socket second = nextConnection();
        second.getOutputStream().write("U-Boot SPL\r\n".getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(10)).until(() -> texts().contains("U-Boot SPL"));

        String marker = "--- rig: serial server connection lost at \\S+; reconnected at \\S+ ---";
        assertEquals(3, texts().size(), texts().toString());
        assertTrue(texts().get(1).matches(marker), texts().get(1));
        String raw = Files.readString(dir.resolve("serial.log"));
        assertTrue(raw.matches("\\[   12.5] sysrq: Trigger a crash\r\n" + marker + "\nU-Boot SPL\r\n"), raw);
        assertEquals(0, second.getInputStream().available(), "nothing is sent to a raw console");
    }

    @Test
    void telnetNegotiationIsAnsweredAndKeptOutOfTheLog() throws Exception {
        start(true);
        Socket socket = nextConnection();
        OutputStream out = socket.getOutputStream();
        out.write(bytes(IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 44));
        out.write("Kernel panic".getBytes(StandardCharsets.US_ASCII));
        out.write(bytes(IAC, SB, 44, 107, 0, 0, IAC, SE, ' ', 0xc3, IAC, IAC, '\r', '\n'));
        out.flush();

        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        assertArrayEquals(bytes(IAC, DONT, 1, IAC, DO, 3, IAC, WONT, 44), in.readNBytes(9),
                "echo and COM-PORT control refused, suppress-go-ahead accepted");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 1);
        assertArrayEquals(bytes('K', 'e', 'r', 'n', 'e', 'l', ' ', 'p', 'a', 'n', 'i', 'c', ' ', 0xc3, 0xff, '\r', '\n'),
                Files.readAllBytes(dir.resolve("serial.log")));
        assertEquals("Kernel panic \ufffd\ufffd", texts().get(0), "bytes that are not UTF-8 are replaced in lines");
    }

    @Test
    void aServerThatIsNotThereFailsAtStart() throws IOException {
        try (RefusingPort refusing = new RefusingPort()) {
            int port = refusing.port();
            SerialConsole absent = new SerialConsole("bench-2", new TcpSerialLink("127.0.0.1", port, false),
                    dir.resolve("serial.log"));
            LabException e = assertThrows(LabException.class, absent::start);
            assertTrue(e.getMessage().startsWith("board bench-2: cannot open the serial console tcp://127.0.0.1:" + port),
                    e.getMessage());
            assertTrue(e.hint().contains("nc 127.0.0.1 " + port), e.hint());
        }
    }
}
