package org.kernelrig.serial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.testing.PseudoTerminalPair;
import org.kernelrig.testing.RequiredTool;

/**
 * The TCP serial console against the real ser2net daemon (4.x, YAML
 * configuration), which serves one end of a socat pseudo-terminal pair while
 * the test writes the board's output into the other.
 */
class Ser2netTest {

    @TempDir
    Path dir;

    private PseudoTerminalPair pair;
    private Process ser2net;
    private SerialConsole console;
    private final List<ConsoleLine> lines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (console != null) {
            console.close();
        }
        stopSer2net();
        if (pair != null) {
            pair.close();
        }
    }

    private void stopSer2net() throws InterruptedException {
        if (ser2net != null) {
            ser2net.destroy();
            if (!ser2net.waitFor(5, TimeUnit.SECONDS)) {
                ser2net.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void startSer2net(String accepter, int port) throws IOException {
        Path program = RequiredTool.require("ser2net", "ser2net");
        Path config = dir.resolve("ser2net.yaml");
        Files.writeString(config, String.join("\n",
                "%YAML 1.1",
                "---",
                "connection: &board",
                "  accepter: " + accepter + ",127.0.0.1," + port,
                "  connector: serialdev," + pair.rigEnd() + ",115200n81,local",
                ""));
        ser2net = new ProcessBuilder(program.toString(), "-n", "-u", "-c", config.toString(),
                "-P", dir.resolve("ser2net.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ser2net.out").toFile()).start();
        await("ser2net listening on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!ser2net.isAlive()) {
                        throw new AssertionError("ser2net exited: " + Files.readString(dir.resolve("ser2net.out")));
                    }
                    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private void startConsole(int port, boolean telnet) throws Exception {
        console = new SerialConsole("bench-3", new TcpSerialLink("127.0.0.1", port, telnet), dir.resolve("serial.log"),
                new SerialConsole.Reconnect(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofSeconds(2),
                LineAssembler.DEFAULT_MAX_LINE_BYTES);
        console.subscribe(lines::add);
        console.start();
    }

    private void board(byte[] bytes) throws IOException {
        try (FileOutputStream out = new FileOutputStream(pair.boardEnd().toFile())) {
            out.write(bytes);
        }
    }

    private List<String> texts() {
        return lines.stream().map(ConsoleLine::text).toList();
    }

    /** Writes a line until it shows up: ser2net opens the port only after a client connected. */
    private void boardUntilSeen(String line) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (texts().contains(line)) {
                return true;
            }
            board((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            return false;
        });
    }

    @Test
    void rawTcpThroughSer2netAndAReconnectAfterItRestarts() throws Exception {
        pair = PseudoTerminalPair.start(dir.resolve("board"), dir.resolve("ttyS0"));
        int port = freePort();
        startSer2net("tcp", port);
        startConsole(port, false);
        boardUntilSeen("ready");
        board("[   42.000000] Kernel panic - not syncing: sysrq triggered crash\r\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> texts().contains("[   42.000000] Kernel panic - not syncing: sysrq triggered crash"));

        stopSer2net();
        startSer2net("tcp", port);
        await().atMost(Duration.ofSeconds(10)).until(() -> !console.gaps().isEmpty());
        boardUntilSeen("back");
        assertTrue(texts().stream().anyMatch(t -> t.matches(
                "--- rig: serial server connection lost at \\S+; reconnected at \\S+ ---")), texts().toString());
        assertTrue(Files.readString(dir.resolve("serial.log"))
                .contains("[   42.000000] Kernel panic - not syncing: sysrq triggered crash\r\n"));
    }

    @Test
    void telnetWithRfc2217ThroughSer2netGivesTheBoardsBytesOnly() throws Exception {
        pair = PseudoTerminalPair.start(dir.resolve("board"), dir.resolve("ttyS0"));
        int port = freePort();
        startSer2net("telnet(rfc2217),tcp", port);
        startConsole(port, true);
        boardUntilSeen("ready");
        byte[] payload = new byte[] {'b', 'i', 'n', (byte) 0xff, (byte) 0xfb, 0x01, '\r', 0x00, 'x', '\r', '\n'};
        board(payload);
        await().atMost(Duration.ofSeconds(10)).until(() -> texts().contains("x"));
        byte[] log = Files.readAllBytes(dir.resolve("serial.log"));
        assertArrayEquals(payload, java.util.Arrays.copyOfRange(log, log.length - payload.length, log.length),
                "IAC doubled by ser2net comes out single; binary mode keeps NUL");
        assertEquals(List.of("bin\ufffd\ufffd", "x"), texts().subList(texts().size() - 2, texts().size()));
    }
}
