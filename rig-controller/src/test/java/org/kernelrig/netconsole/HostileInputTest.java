package org.kernelrig.netconsole;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.kernelrig.LabException;

/**
 * Nothing a sender does breaks the receiver or grows its memory: garbage,
 * giant datagrams, lying fragment headers, floods of senders. The counters
 * say what happened, and the receiver keeps working afterwards.
 */
class HostileInputTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private NetconsoleReceiver start(ReceiverSettings settings) throws LabException {
        NetconsoleReceiver receiver = new NetconsoleReceiver(settings);
        receiver.start();
        toClose.add(receiver);
        return receiver;
    }

    private ReceiverSettings settings() throws IOException {
        return ReceiverSettings.defaults(dir).withBindAddress(InetAddress.getByName("127.0.0.1")).withPort(0)
                .withMemoryBytes(4 << 20);
    }

    private DatagramSocket patient(String address) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.setSendBufferSize(1 << 20);
        toClose.add(socket);
        return socket;
    }

    private static void send(DatagramSocket from, NetconsoleReceiver to, byte[] datagram) throws IOException {
        from.send(new DatagramPacket(datagram, datagram.length, InetAddress.getByName("127.0.0.1"), to.port()));
    }

    private static void send(DatagramSocket from, NetconsoleReceiver to, String text) throws IOException {
        send(from, to, text.getBytes(StandardCharsets.UTF_8));
    }

    private static PatientStatistics statisticsOf(NetconsoleReceiver receiver, String patient) {
        return receiver.statistics().patients().stream().filter(p -> p.patient().equals(patient)).findFirst()
                .orElseThrow(() -> new AssertionError("no statistics for " + patient));
    }

    /** Waits for each datagram to be handled, so the socket buffer never overflows in a test. */
    private static void awaitWritten(NetconsoleReceiver receiver, long datagrams) {
        await().atMost(LIMIT).until(() -> receiver.statistics().written() >= datagrams);
    }

    @Test
    void randomBytesInvalidUtf8AndGiantDatagramsAreLoggedSafely() throws Exception {
        NetconsoleReceiver receiver = start(settings());
        DatagramSocket board = patient("127.0.0.1");
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[1 + random.nextInt(1500)];
            random.nextBytes(garbage);
            send(board, receiver, garbage);
        }
        send(board, receiver, new byte[] {'\n', (byte) 0xc3, (byte) 0x28, (byte) 0xff, 0x1b, '[', '2', 'J', '\n'});
        byte[] giant = new byte[65_507];
        java.util.Arrays.fill(giant, (byte) 'g');
        giant[giant.length - 1] = '\n';
        send(board, receiver, giant);
        awaitWritten(receiver, 502);

        send(board, receiver, "[   10.000000] still alive\n");
        assertTrue(receiver.awaitText("127.0.0.1", "still alive", LIMIT));
        assertEquals(503, receiver.statistics().received());
        String logged = Files.readString(dir.resolve("netconsole-127.0.0.1.log"), StandardCharsets.UTF_8);
        assertTrue(logged.contains("\ufffd(\ufffd\\x1b[2J"), "invalid UTF-8 replaced, escape sequence defused");
        // Only the beginning of a datagram netconsole could never have sent is kept, with what was cut.
        assertTrue(logged.contains(" " + "g".repeat(DatagramRing.MAX_KEPT)
                + " [rig: a datagram of 65507 bytes, larger than netconsole sends; only its first 2048 kept]\n"));
        assertFalse(logged.contains("g".repeat(DatagramRing.MAX_KEPT + 1)));
        assertEquals(1, statisticsOf(receiver, "127.0.0.1").oversized());
        assertTrue(logged.chars().noneMatch(c -> c == 0x1b || c == 0), "no raw control character reaches the log");
    }

    /**
     * A flood of the largest datagrams UDP allows, from the patient's own
     * address, between its good lines: each giant is cut to its beginning and
     * counted, and every good line is either on disk or among the datagrams
     * the kernel says it dropped: none is lost unsaid.
     */
    @Test
    void aFloodOfGiantDatagramsAmongGoodLinesLosesNoGoodLineUnsaid() throws Exception {
        NetconsoleReceiver receiver = start(settings().withMemoryBytes(64 << 20));
        DatagramSocket board = patient("127.0.0.1");
        board.setSendBufferSize(8 << 20);
        byte[] giant = new byte[65_507];
        java.util.Arrays.fill(giant, (byte) 'g');
        int good = 5_000;
        for (int i = 0; i < good; i++) {
            send(board, receiver, "[    2.000000] good line " + i + " among giants\n");
            send(board, receiver, giant);
        }
        long sent = 2L * good;
        // Every datagram sent is accounted for: received, dropped at the memory bound, or dropped by the kernel.
        await().atMost(LIMIT).until(() -> {
            ReceiverStatistics now = receiver.statistics();
            return now.received() + now.dropped() + now.kernelDrops() == sent;
        });
        awaitWritten(receiver, receiver.statistics().received());

        ReceiverStatistics stats = receiver.statistics();
        assertTrue(stats.kernelDrops() >= 0, "this system tells the kernel's drops");
        PatientStatistics patient = statisticsOf(receiver, "127.0.0.1");
        long goodKept;
        try (Stream<String> lines = Files.lines(dir.resolve("netconsole-127.0.0.1.log"))) {
            goodKept = lines.filter(l -> l.endsWith(" among giants")).count();
        }
        assertEquals(stats.received(), goodKept + patient.oversized(), "every datagram received is on disk");
        assertTrue(goodKept + stats.kernelDrops() + stats.dropped() >= good,
                "a good line missing is among the drops counted: " + stats.describe());
        assertTrue(patient.oversized() > 0, stats.describe());
        assertTrue(patient.bytes() <= goodKept * 64 + patient.oversized() * DatagramRing.MAX_KEPT,
                "only the beginning of each giant is kept: " + patient.bytes() + " bytes");
        System.out.println("giant flood: " + goodKept + "/" + good + " good lines kept; " + stats.describe());
    }

    @Test
    void lyingAndNeverCompletingFragmentsAreBoundedAndCounted() throws Exception {
        NetconsoleReceiver receiver = start(settings());
        DatagramSocket board = patient("127.0.0.1");
        send(board, receiver, "6,1,100,-,ncfrag=900/31;offset beyond the total");
        send(board, receiver, "6,2,100,-,ncfrag=0/4000000000;a total no kernel sends");
        send(board, receiver, "6,3,100,-,ncfrag=0/8;ab");
        send(board, receiver, "6,3,100,-,ncfrag=0/9;ab"); // the same message, another total
        for (int sequence = 100; sequence < 1100; sequence++) {
            send(board, receiver, "6," + sequence + ",100,-,ncfrag=0/1000;a first piece and never the rest");
            if (sequence % 100 == 0) {
                awaitWritten(receiver, sequence - 100 + 4);
            }
        }
        awaitWritten(receiver, 1004);

        PatientStatistics stats = statisticsOf(receiver, "127.0.0.1");
        assertEquals(3, stats.malformed());
        assertTrue(stats.fragmentsPending() <= 16, "pending " + stats.fragmentsPending());
        assertEquals(1001, stats.fragmentsPending() + stats.fragmentsExpired());

        send(board, receiver, "6,2000,100,-,ncfrag=5/10;world");
        send(board, receiver, "6,2000,100,-,ncfrag=0/10;hello");
        assertTrue(receiver.awaitText("127.0.0.1", "helloworld", LIMIT));
    }

    @Test
    void scatteredSequenceNumbersKeepGapTrackingBounded() throws Exception {
        NetconsoleReceiver receiver = start(settings());
        DatagramSocket board = patient("127.0.0.1");
        for (int i = 0; i < 5000; i++) {
            send(board, receiver, "6," + (i * 3L) + ",100,-;scattered");
            if (i % 500 == 499) {
                awaitWritten(receiver, i + 1);
            }
        }
        awaitWritten(receiver, 5000);
        PatientStatistics stats = statisticsOf(receiver, "127.0.0.1");
        assertEquals(4999 * 2, stats.missing());
        assertEquals(4999, stats.gapsTotal());
        assertTrue(stats.gaps().size() <= 2000, "gaps listed " + stats.gaps().size());
        assertTrue(receiver.statistics().describe().contains("latest 20 shown"));
    }

    @Test
    void aFloodOfSendersIsCappedAndOpenLogsAreBounded() throws Exception {
        NetconsoleReceiver receiver = start(settings().withLimits(8, 3));
        for (int host = 2; host < 42; host++) {
            DatagramSocket sender = patient("127.0.0." + host);
            send(sender, receiver, "from 127.0.0." + host + "\n");
            send(sender, receiver, "again from 127.0.0." + host + "\n");
            sender.close();
        }
        await().atMost(LIMIT).until(() -> receiver.statistics().overPatientLimit() == 64);
        ReceiverStatistics stats = receiver.statistics();
        assertEquals(16, stats.received());
        assertEquals(8, stats.patients().size());
        try (Stream<Path> logs = Files.list(dir)) {
            assertEquals(8, logs.count());
        }
        assertTrue(openLogs() <= 3, "open logs " + openLogs());

        // Every tracked patient is still written to, its log opened again when needed.
        send(patient("127.0.0.2"), receiver, "back again\n");
        assertTrue(receiver.awaitText("127.0.0.2", "back again", LIMIT));
        assertEquals(3, Files.readAllLines(dir.resolve("netconsole-127.0.0.2.log")).size());
    }

    /** Files of the test's folder this process holds open now (from /proc/self/fd). */
    private long openLogs() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir);
                } catch (IOException e) {
                    return false; // closed since the listing
                }
            }).count();
        }
    }

    @Test
    void whenTheMemoryBoundIsReachedDatagramsAreDroppedAndCountedNotQueuedWithoutLimit() throws Exception {
        NetconsoleReceiver receiver = start(settings().withMemoryBytes(1 << 20));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        // A subscriber that stops the writer thread, as a stuck disk would.
        receiver.subscribe(line -> {
            if (line.text().equals("stall")) {
                stalled.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        DatagramSocket board = patient("127.0.0.1");
        send(board, receiver, "stall\n");
        assertTrue(stalled.await(20, TimeUnit.SECONDS));
        byte[] big = new byte[2_000];
        java.util.Arrays.fill(big, (byte) 'b');
        for (int i = 0; i < 1_000; i++) {
            send(board, receiver, big);
        }
        await().atMost(LIMIT).until(() -> receiver.statistics().received() + receiver.statistics().dropped() == 1_001);
        ReceiverStatistics stats = receiver.statistics();
        assertTrue(stats.dropped() > 0, stats.describe());
        assertTrue(stats.queuedBytes() <= 1 << 20);

        release.countDown();
        awaitWritten(receiver, stats.received());
        send(board, receiver, "after the stall\n");
        assertTrue(receiver.awaitText("127.0.0.1", "after the stall", LIMIT));
        assertEquals(stats.received() + 1, receiver.statistics().written());
    }
}
