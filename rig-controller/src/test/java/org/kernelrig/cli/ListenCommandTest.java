package org.kernelrig.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class ListenCommandTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anAllowedAddressThatIsNotAnAddressIsAUsageError() {
        RigRunner.Result result = RigRunner.run("listen", "--allow", "board.example", "--dir", dir.toString());
        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().contains("not an IPv4 or IPv6 address: 'board.example'"), result.err());
    }

    @Test
    void aBadDurationIsAUsageError() {
        RigRunner.Result result = RigRunner.run("listen", "--stats-interval", "often", "--dir", dir.toString());
        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().contains("'often' is not a duration"), result.err());
    }

    @Test
    void aPortInUseIsALabError() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            RigRunner.Result result = RigRunner.run("listen", "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--dir", dir.toString());
            assertEquals(ExitCodes.LAB_ERROR, result.exitCode());
            assertTrue(result.err().contains("cannot listen on UDP 127.0.0.1:" + taken.getLocalPort()), result.err());
            assertTrue(result.err().contains("ss -ulpn"), result.err());
        }
    }

    @Test
    void anIpv6AddressWithAZoneIsAUsageError() {
        RigRunner.Result result = RigRunner.run("listen", "--bind", "fe80::1%eth0", "--dir", dir.toString());
        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().contains("not an IPv4 or IPv6 address: 'fe80::1%eth0' (it has a zone index ('%eth0'))"),
                result.err());
    }

    @Test
    void anIpv6PortInUseIsALabErrorNamingTheAddressInBrackets() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            RigRunner.Result result = RigRunner.run("listen", "--bind", "[::1]", "--port",
                    Integer.toString(taken.getLocalPort()), "--dir", dir.toString());
            assertEquals(ExitCodes.LAB_ERROR, result.exitCode());
            assertTrue(result.err().contains("cannot listen on UDP [::1]:" + taken.getLocalPort()), result.err());
        }
    }

    /** One dual-stack socket: patients of both families, allowed by IPv6 addresses and an IPv4-mapped one. */
    @Test
    void listensOnBothFamiliesWithAnIpv6AllowList() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.kernelrig.cli.Main", "listen", "--bind", "::", "--port", "0", "--dir", dir.toString(), "--quiet",
                "--allow", "::1", "--allow", "::ffff:127.0.0.1", "--memory", "8M", "--stats-interval", "200ms")
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(stderr.toFile()).start();
        try {
            Pattern listening = Pattern.compile("receiving netconsole on UDP \\*:(\\d+) \\(every address, IPv4 and IPv6\\)");
            await().atMost(LIMIT).until(() -> listening.matcher(Files.readString(stderr)).find());
            Matcher matcher = listening.matcher(Files.readString(stderr));
            assertTrue(matcher.find());
            int port = Integer.parseInt(matcher.group(1));
            // The allow list is said on the next line, once the receiver runs.
            await().atMost(LIMIT).until(() -> Files.readString(stderr).contains("Ctrl-C to stop"));
            assertTrue(Files.readString(stderr).contains("allowed: ::1, 127.0.0.1"), Files.readString(stderr));

            for (String[] sender : new String[][] {{"::1", "::1", "over IPv6"}, {"127.0.0.1", "127.0.0.1", "over IPv4"},
                {"127.0.0.2", "127.0.0.1", "foreign"}}) {
                try (DatagramSocket board = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(sender[0]), 0))) {
                    byte[] bytes = (sender[2] + "\n").getBytes(StandardCharsets.UTF_8);
                    board.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(sender[1]), port));
                }
            }
            Path ipv6Log = dir.resolve("netconsole-__1.log");
            Path ipv4Log = dir.resolve("netconsole-127.0.0.1.log");
            await().atMost(LIMIT).until(() -> Files.exists(ipv6Log) && Files.readString(ipv6Log).contains("over IPv6"));
            await().atMost(LIMIT).until(() -> Files.exists(ipv4Log) && Files.readString(ipv4Log).contains("over IPv4"));
            await().atMost(LIMIT).until(() -> Files.readString(stderr).contains(
                    "received 2 datagrams, lost 0 before rig could read them, dropped 0 (memory bound), foreign 1 (not allowed)"));
        } finally {
            process.destroy();
            assertTrue(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** The real command in its own JVM, stopped the way a service manager stops it (SIGTERM). */
    @Test
    void listensUntilStoppedThenPrintsItsCounts() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.kernelrig.cli.Main", "listen", "--bind", "127.0.0.1", "--port", "0", "--dir", dir.toString(),
                "--allow", "127.0.0.1", "--memory", "8M", "--stats-interval", "200ms")
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            Pattern listening = Pattern.compile("receiving netconsole on UDP 127\\.0\\.0\\.1:(\\d+); logs go to (.*)");
            await().atMost(LIMIT).until(() -> listening.matcher(Files.readString(stderr)).find());
            Matcher matcher = listening.matcher(Files.readString(stderr));
            assertTrue(matcher.find());
            int port = Integer.parseInt(matcher.group(1));
            assertTrue(matcher.group(2).endsWith("netconsole-<address>.log"));

            try (DatagramSocket board = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                    DatagramSocket stranger = new DatagramSocket(
                            new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
                for (String line : new String[] {"6,10,1000,-;first\n", "6,13,1001,-;after a gap\n"}) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    board.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
                }
                byte[] foreign = "not allowed\n".getBytes(StandardCharsets.UTF_8);
                stranger.send(new DatagramPacket(foreign, foreign.length, InetAddress.getByName("127.0.0.1"), port));
            }
            Path log = dir.resolve("netconsole-127.0.0.1.log");
            await().atMost(LIMIT).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 2);
            await().atMost(LIMIT).until(() -> Files.readString(stdout).contains("after a gap"));
            await().atMost(LIMIT).until(() -> Files.readString(stderr).contains(
                    "rig listen: received 2 datagrams, lost 0 before rig could read them, dropped 0 (memory bound), foreign 1 (not allowed)"));

            process.destroy(); // SIGTERM: the shutdown hook drains, flushes and prints the counts
            assertTrue(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
            String err = Files.readString(stderr);
            assertTrue(err.contains("stopped; received 2 datagrams, lost 0 before rig could read them, dropped 0 (memory bound), foreign 1 (not allowed)"),
                    err);
            assertTrue(err.contains("127.0.0.1: 2 datagrams, 2 lines -> " + log), err);
            assertTrue(err.contains("missing 2 records in 1 gaps: 11..12"), err);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A doctor that cannot read for a while (stopped here, as a starved one
     * would be) loses what overflows its socket's buffer in the kernel: rig
     * cannot keep those datagrams, but it counts them and says so.
     */
    @Test
    void datagramsTheKernelDroppedWhileTheReceiverWasPausedAreCountedAndReported() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.kernelrig.cli.Main", "listen", "--bind", "127.0.0.1", "--port", "0", "--dir", dir.toString(),
                "--allow", "127.0.0.1", "--receive-buffer", "64K", "--quiet", "--stats-interval", "200ms")
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(stderr.toFile()).start();
        try {
            Pattern listening = Pattern.compile("receiving netconsole on UDP 127\\.0\\.0\\.1:(\\d+);");
            await().atMost(LIMIT).until(() -> listening.matcher(Files.readString(stderr)).find());
            Matcher matcher = listening.matcher(Files.readString(stderr));
            assertTrue(matcher.find());
            int port = Integer.parseInt(matcher.group(1));

            signal(process, "STOP");
            await().atMost(LIMIT).until(() -> state(process) == 'T');
            int sent = 3_000;
            try (DatagramSocket board = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
                for (int i = 0; i < sent; i++) {
                    byte[] bytes = ("[    1.000000] line " + i + " sent while the doctor was paused\n")
                            .getBytes(StandardCharsets.UTF_8);
                    board.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
                }
                signal(process, "CONT");
                byte[] last = "after the pause\n".getBytes(StandardCharsets.UTF_8);
                board.send(new DatagramPacket(last, last.length, InetAddress.getByName("127.0.0.1"), port));
            }
            Path log = dir.resolve("netconsole-127.0.0.1.log");
            await().atMost(LIMIT).until(() -> Files.exists(log) && Files.readString(log).contains("after the pause"));
            // The periodic counters say it while the doctor runs...
            Pattern counts = Pattern.compile("received (\\d+) datagrams, lost (\\d+) before rig could read them");
            await().atMost(LIMIT).until(() -> counted(counts, Files.readString(stderr)) == sent + 1);

            process.destroy();
            assertTrue(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
            // ...and the final ones when it stops.
            String err = Files.readString(stderr);
            String last = err.substring(err.lastIndexOf("stopped; "));
            Matcher totals = counts.matcher(last);
            assertTrue(totals.find(), err);
            long received = Long.parseLong(totals.group(1));
            long lost = Long.parseLong(totals.group(2));
            assertEquals(sent + 1, received + lost, "every datagram sent was either received or counted as lost");
            assertTrue(lost > 0, "a 64 KiB buffer cannot hold " + sent + " datagrams: " + last);
            assertTrue(last.contains("the socket's receive buffer was full"), last);
            assertEquals(received, Files.readAllLines(log).size(), "what was received is on disk");
        } finally {
            process.destroyForcibly();
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start()
                .waitFor());
    }

    /** The process's state letter from /proc: R, S, T (stopped), ... */
    private static char state(Process process) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    /** Received plus lost in the latest counters printed, or -1 before any. */
    private static long counted(Pattern counts, String err) {
        Matcher matcher = counts.matcher(err);
        long total = -1;
        while (matcher.find()) {
            total = Long.parseLong(matcher.group(1)) + Long.parseLong(matcher.group(2));
        }
        return total;
    }
}
