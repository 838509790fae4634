package org.kernelrig.power;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.testing.RefusingPort;
import org.kernelrig.testing.RequiredTool;

/**
 * The pdudaemon driver: against the real pdudaemon from Debian's packages
 * with a {@code localcmdline} PDU that writes to a file, and against a
 * loopback stand-in for the answers the real one cannot be made to give.
 */
class PduDaemonSwitchTest {

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Process startPduDaemon(int port, Path actions) throws IOException {
        Path program = RequiredTool.require("pdudaemon", "pdudaemon");
        Path config = dir.resolve("pdudaemon.conf");
        Files.writeString(config, """
                {
                    "daemon": {"hostname": "127.0.0.1", "port": %d, "logging_level": "DEBUG", "listener": "http"},
                    "pdus": {
                        "bench-pdu": {
                            "driver": "localcmdline",
                            "cmd_on": "echo '%%s on' >> %s",
                            "cmd_off": "echo '%%s off' >> %s"
                        }
                    }
                }
                """.formatted(port, actions, actions));
        Process daemon = new ProcessBuilder(program.toString(), "--conf", config.toString(),
                "--logfile", dir.resolve("pdudaemon.log").toString(), "--loglevel", "DEBUG")
                .redirectErrorStream(true).redirectOutput(dir.resolve("pdudaemon.out").toFile()).start();
        await("pdudaemon listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!daemon.isAlive()) {
                throw new AssertionError("pdudaemon exited: " + Files.readString(dir.resolve("pdudaemon.out")));
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return daemon;
    }

    private static void stop(Process daemon) throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void theRealPduDaemonSwitchesAPortOfALocalCommandPdu() throws Exception {
        int port = freePort();
        Path actions = dir.resolve("actions");
        Process daemon = startPduDaemon(port, actions);
        try {
            String url = "http://127.0.0.1:" + port;
            PduDaemonSwitch pdu = new PduDaemonSwitch("apu2", url, "bench-pdu", 3, Duration.ofSeconds(10));
            pdu.off();
            await().atMost(Duration.ofSeconds(20)).until(() -> lines(actions).equals(List.of("3 off")));
            pdu.on();
            await().atMost(Duration.ofSeconds(20)).until(() -> lines(actions).equals(List.of("3 off", "3 on")));
            pdu.cycle(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> lines(actions).equals(List.of("3 off", "3 on", "3 off", "3 on")));
            assertTrue(pdu.state().isEmpty(), "pdudaemon cannot tell the state");

            LabException e = assertThrows(LabException.class,
                    () -> new PduDaemonSwitch("apu2", url, "no-such-pdu", 3, Duration.ofSeconds(10)).on());
            assertEquals("board apu2: power switch pdudaemon " + url + " no-such-pdu port 3: pdudaemon refused 'on': "
                    + "'Invalid request'", e.getMessage());
            assertTrue(e.hint().contains("no-such-pdu"), e.hint());
        } finally {
            stop(daemon);
        }
    }

    @Test
    void requestsAreThoseOfPduDaemonsApi() throws Exception {
        try (HttpDeviceEmulator daemon = new HttpDeviceEmulator() {
            @Override
            protected Answer answer(Request request) {
                return new Answer(200, "OK - accepted request\n");
            }
        }) {
            PduDaemonSwitch pdu = new PduDaemonSwitch("apu2", "http://127.0.0.1:" + daemon.port() + "/", "rack 1", 12,
                    Duration.ofSeconds(5));
            pdu.on();
            pdu.off();
            pdu.cycle(Duration.ofMillis(2500));
            assertEquals(List.of("/power/control/on?hostname=rack+1&port=12", "/power/control/off?hostname=rack+1&port=12",
                    "/power/control/reboot?hostname=rack+1&port=12&delay=3"),
                    daemon.requests.stream().map(HttpDeviceEmulator.Request::uri).toList());
        }
    }

    @Test
    void aSilentOrAbsentDaemonIsALabError() throws Exception {
        try (SilentPeer silent = new SilentPeer()) {
            LabException e = assertThrows(LabException.class, () -> new PduDaemonSwitch("apu2",
                    "http://127.0.0.1:" + silent.port(), "bench-pdu", 1, Duration.ofMillis(300)).off());
            assertTrue(e.getMessage().endsWith("port 1: no answer within 300 ms (off)"), e.getMessage());
        }
        try (RefusingPort closed = new RefusingPort()) {
            LabException e = assertThrows(LabException.class, () -> new PduDaemonSwitch("apu2",
                    "http://127.0.0.1:" + closed.port(), "bench-pdu", 1, Duration.ofSeconds(2)).on());
            assertTrue(e.getMessage().contains("cannot reach it"), e.getMessage());
            assertTrue(e.hint().contains("is pdudaemon running"), e.hint());
        }
    }
}
