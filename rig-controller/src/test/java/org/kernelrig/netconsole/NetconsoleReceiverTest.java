package org.kernelrig.netconsole;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.kernelrig.LabException;
import org.kernelrig.console.ConsoleLine;

/** The receiver with real datagrams on loopback, from real sockets bound to patient addresses. */
class NetconsoleReceiverTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** Tests keep the memory bound small; the bound's behaviour does not depend on its size. */
    private static final int MEMORY = 4 << 20;
    private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z ";

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
        NetconsoleReceiver receiver = new NetconsoleReceiver(settings.withMemoryBytes(MEMORY));
        receiver.start();
        toClose.add(receiver);
        return receiver;
    }

    private NetconsoleReceiver startOnLoopback() throws LabException {
        return start(ReceiverSettings.defaults(dir).withBindAddress(InetAddress.getLoopbackAddress()).withPort(0));
    }

    /** A socket standing for a patient, bound to its own loopback address. */
    private DatagramSocket patient(String address) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        toClose.add(socket);
        return socket;
    }

    private static void send(DatagramSocket from, NetconsoleReceiver to, byte[] datagram) throws IOException {
        InetAddress target = from.getLocalAddress().getAddress().length == 16 ? InetAddress.getByName("::1")
                : InetAddress.getByName("127.0.0.1");
        from.send(new DatagramPacket(datagram, datagram.length, target, to.port()));
    }

    private static void send(DatagramSocket from, NetconsoleReceiver to, String text) throws IOException {
        send(from, to, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String log(NetconsoleReceiver receiver, String patient) throws IOException {
        Path file = receiver.logFile(patient);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static PatientStatistics statisticsOf(NetconsoleReceiver receiver, String patient) {
        return receiver.statistics().patients().stream().filter(p -> p.patient().equals(patient)).findFirst()
                .orElseThrow(() -> new AssertionError("no statistics for " + patient));
    }

    @Test
    void plainLinesGoToThePatientsLogWithTheirArrivalTimeThenToSubscribers() throws Exception {
        NetconsoleReceiver receiver = startOnLoopback();
        List<ConsoleLine> lines = new CopyOnWriteArrayList<>();
        receiver.subscribe("127.0.0.1", lines::add);
        DatagramSocket board = patient("127.0.0.1");
        Instant before = Instant.now();

        send(board, receiver, "[    1.000000] first line\n[    1.500000] second");
        send(board, receiver, " continued in another datagram\n");

        await().atMost(LIMIT).until(() -> lines.size() == 2);
        assertEquals("[    1.000000] first line", lines.get(0).text());
        assertEquals(1_000_000L, lines.get(0).kernelTimeMicros());
        assertEquals("[    1.500000] second continued in another datagram", lines.get(1).text());
        assertEquals(ConsoleLine.Source.NETCONSOLE, lines.get(1).source());
        assertFalse(lines.get(0).arrival().isBefore(before.minusSeconds(1)));

        List<String> logged = Files.readAllLines(dir.resolve("netconsole-127.0.0.1.log"));
        assertEquals(2, logged.size(), logged.toString());
        assertTrue(logged.get(0).matches(STAMP + "\\[    1.000000\\] first line"), logged.get(0));
        assertTrue(logged.get(1).matches(STAMP + "\\[    1.500000\\] second continued in another datagram"),
                logged.get(1));
    }

    @Test
    void withoutHistoryOrSubscribersLinesAreStillWrittenAndCounted() throws Exception {
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withBindAddress(InetAddress.getLoopbackAddress())
                .withPort(0).withHistoryLines(0));
        DatagramSocket board = patient("127.0.0.1");
        send(board, receiver, "one\ntwo\nthr");
        send(board, receiver, "ee\n");
        send(board, receiver, "caf\u00e9 \u001b[2J\n");
        await().atMost(LIMIT).until(() -> receiver.statistics().written() == 3);
        assertEquals(4, statisticsOf(receiver, "127.0.0.1").lines());
        List<String> logged = Files.readAllLines(dir.resolve("netconsole-127.0.0.1.log"));
        assertEquals(4, logged.size());
        assertTrue(logged.get(2).matches(STAMP + "three"), logged.get(2));
        assertTrue(logged.get(3).matches(STAMP + "caf\u00e9 \\\\x1b\\[2J"), logged.get(3));
    }

    @Test
    void extendedRecordsKeepLevelSequenceKernelTimeAndReleaseInTheLog() throws Exception {
        NetconsoleReceiver receiver = startOnLoopback();
        List<ConsoleLine> lines = new CopyOnWriteArrayList<>();
        receiver.subscribe(lines::add);

        send(patient("127.0.0.1"), receiver,
                "6.1.0-26-amd64,4,100,123456789,-;usb 1-1: reset high-speed USB device\n SUBSYSTEM=usb\n DEVICE=c189:1\n");

        await().atMost(LIMIT).until(() -> lines.size() == 1);
        ConsoleLine line = lines.get(0);
        assertEquals("usb 1-1: reset high-speed USB device", line.text());
        assertEquals(4, line.level());
        assertEquals(100L, line.sequence());
        assertEquals(123_456_789L, line.kernelTimeMicros());
        String logged = log(receiver, "127.0.0.1");
        assertTrue(logged.matches("(?s)" + STAMP + "6\\.1\\.0-26-amd64,4,100,123456789,-;usb 1-1: reset high-speed USB device\n"
                + STAMP + " SUBSYSTEM=usb\n" + STAMP + " DEVICE=c189:1\n"), logged);
    }

    @Test
    void fragmentsAreJoinedInAnyOrder() throws Exception {
        NetconsoleReceiver receiver = startOnLoopback();
        List<ConsoleLine> lines = new CopyOnWriteArrayList<>();
        receiver.subscribe(lines::add);
        DatagramSocket board = patient("127.0.0.1");

        send(board, receiver, "6,416,1758426,-,ncfrag=16/31; the 2nd chunk.");
        send(board, receiver, "6,417,1758500,-,ncfrag=0/10;01234");
        send(board, receiver, "6,416,1758426,-,ncfrag=0/31;the first chunk,");
        send(board, receiver, "6,417,1758500,-,ncfrag=5/10;56789");

        await().atMost(LIMIT).until(() -> lines.size() == 2);
        assertEquals("the first chunk, the 2nd chunk.", lines.get(0).text());
        assertEquals(416L, lines.get(0).sequence());
        assertEquals("0123456789", lines.get(1).text());
        PatientStatistics stats = statisticsOf(receiver, "127.0.0.1");
        assertEquals(0, stats.malformed());
        assertEquals(0, stats.fragmentsPending());
        assertEquals(0, stats.missing());
    }

    @Test
    void sequenceGapsAreCountedAndALateRecordFillsOne() throws Exception {
        NetconsoleReceiver receiver = startOnLoopback();
        DatagramSocket board = patient("127.0.0.1");
        for (long sequence : new long[] {1, 2, 5, 6, 9}) {
            send(board, receiver, "6," + sequence + ",1000,-;record " + sequence);
        }
        await().atMost(LIMIT).until(() -> statisticsOf(receiver, "127.0.0.1").lines() == 5);
        PatientStatistics stats = statisticsOf(receiver, "127.0.0.1");
        assertEquals(4, stats.missing());
        assertEquals(List.of(new SequenceGap(3, 4, true), new SequenceGap(7, 8, true)), stats.gaps());

        send(board, receiver, "6,3,1000,-;record 3, late");
        await().atMost(LIMIT).until(() -> statisticsOf(receiver, "127.0.0.1").lines() == 6);
        stats = statisticsOf(receiver, "127.0.0.1");
        assertEquals(3, stats.missing());
        assertEquals(1, stats.late());
        assertEquals(List.of(new SequenceGap(4, 4, true), new SequenceGap(7, 8, true)), stats.gaps());
        assertTrue(receiver.statistics().describe().contains("missing 3 records in 2 gaps (1 arrived late): 4, 7..8"),
                receiver.statistics().describe());
    }

    @Test
    void aSenderNotOnTheAllowListIsCountedAndNeverWritten() throws Exception {
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0)
                .withBindAddress(InetAddress.getByName("127.0.0.1"))
                .withAllowed(Set.of(InetAddress.getByName("127.0.0.1"))));
        send(patient("127.0.0.2"), receiver, "foreign line\n");
        send(patient("127.0.0.1"), receiver, "rig-marker-1\n");

        assertTrue(receiver.awaitText("127.0.0.1", "rig-marker-1", LIMIT));
        await().atMost(LIMIT).until(() -> receiver.statistics().foreign() == 1);
        assertEquals(1, receiver.statistics().received());
        assertFalse(Files.exists(dir.resolve("netconsole-127.0.0.2.log")));
        assertEquals(1, receiver.statistics().patients().size());
        assertEquals(java.util.Optional.of(InetAddress.getByName("127.0.0.2")), receiver.lastForeignSender(),
                "the address a diagnosis can name");
    }

    @Test
    void aRestartedReceiverAppendsToTheSameLog() throws Exception {
        NetconsoleReceiver first = startOnLoopback();
        send(patient("127.0.0.1"), first, "before the restart\n");
        assertTrue(first.awaitText("127.0.0.1", "before the restart", LIMIT));
        first.close();

        NetconsoleReceiver second = startOnLoopback();
        send(patient("127.0.0.1"), second, "after the restart\n");
        assertTrue(second.awaitText("127.0.0.1", "after the restart", LIMIT));
        second.close();

        List<String> logged = Files.readAllLines(dir.resolve("netconsole-127.0.0.1.log"));
        assertEquals(2, logged.size());
        assertTrue(logged.get(0).endsWith(" before the restart"));
        assertTrue(logged.get(1).endsWith(" after the restart"));
    }

    @Test
    void receivesFromIpv6Loopback() throws Exception {
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0)
                .withBindAddress(InetAddress.getByName("::1")));
        send(patient("::1"), receiver, "6,1,2,-;over IPv6\n");
        assertTrue(receiver.awaitText("::1", "over IPv6", LIMIT));
        assertEquals("::1", receiver.statistics().patients().get(0).patient());
        assertTrue(Files.readString(dir.resolve("netconsole-__1.log")).contains("6,1,2,-;over IPv6"));
    }

    @Test
    void anUnspecifiedBindAddressReceivesBothFamilies() throws Exception {
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0));
        send(patient("127.0.0.1"), receiver, "over IPv4\n");
        send(patient("::1"), receiver, "over IPv6\n");
        assertTrue(receiver.awaitText("127.0.0.1", "over IPv4", LIMIT));
        assertTrue(receiver.awaitText("::1", "over IPv6", LIMIT));
        assertTrue(Files.exists(dir.resolve("netconsole-127.0.0.1.log")));
        assertTrue(Files.exists(dir.resolve("netconsole-__1.log")));
    }

    @Test
    void theIpv6AnyAddressIsOneSocketForBothFamilies() throws Exception {
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0)
                .withBindAddress(PatientAddress.parse("::")));
        send(patient("127.0.0.1"), receiver, "over IPv4\n");
        send(patient("::1"), receiver, "over IPv6\n");

        assertTrue(receiver.awaitText("127.0.0.1", "over IPv4", LIMIT));
        assertTrue(receiver.awaitText("::1", "over IPv6", LIMIT));
        assertTrue(receiver.localAddress().getAddress().isAnyLocalAddress());
        assertEquals(16, receiver.localAddress().getAddress().getAddress().length, "an IPv6 socket");
        assertEquals(List.of("127.0.0.1", "::1"), receiver.statistics().patients().stream()
                .map(PatientStatistics::patient).sorted().toList());
    }

    @Test
    void anIpv6AllowListOnADualStackSocket() throws Exception {
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0)
                .withAllowed(Set.of(PatientAddress.parse("::1"))));
        send(patient("127.0.0.1"), receiver, "foreign over IPv4\n");
        send(patient("::1"), receiver, "rig-marker-6\n");

        assertTrue(receiver.awaitText("::1", "rig-marker-6", LIMIT));
        await().atMost(LIMIT).until(() -> receiver.statistics().foreign() == 1);
        assertFalse(Files.exists(dir.resolve("netconsole-127.0.0.1.log")));
        assertEquals(1, receiver.statistics().patients().size());
    }

    @Test
    void anIpv4MappedAllowedAddressIsItsIpv4Form() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress asIpv6 = Inet6Address.getByAddress(null, mapped, null);
        for (InetAddress allowed : List.of(asIpv6, PatientAddress.parse("::ffff:127.0.0.1"))) {
            NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0)
                    .withAllowed(Set.of(allowed)));
            send(patient("127.0.0.1"), receiver, "from " + allowed + "\n");

            assertTrue(receiver.awaitText("::ffff:127.0.0.1", "from " + allowed, LIMIT));
            assertEquals(0, receiver.statistics().foreign());
            assertEquals("127.0.0.1", receiver.statistics().patients().get(0).patient());
            receiver.close();
        }
        assertEquals(2, Files.readAllLines(dir.resolve("netconsole-127.0.0.1.log")).size());
    }

    @Test
    void awaitTextFindsRecentLinesAndLinesStillToComeAndGivesUpAtTheLimit() throws Exception {
        NetconsoleReceiver receiver = startOnLoopback();
        DatagramSocket board = patient("127.0.0.1");
        send(board, receiver, "already here\n");
        assertTrue(receiver.awaitText("127.0.0.1", "already here", LIMIT));

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return receiver.awaitText("127.0.0.1", "rig-marker-42", LIMIT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(LIMIT).until(() -> !waiting.isDone());
        send(board, receiver, "netconsole: rig-marker-42 seen\n");
        assertTrue(waiting.get());

        assertFalse(receiver.awaitText("127.0.0.1", "never sent", Duration.ofMillis(200)));
        assertFalse(receiver.awaitText("127.0.0.9", "already here", Duration.ofMillis(1)));
    }

    @Test
    void linesAreEchoedLikeTee() throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        NetconsoleReceiver receiver = start(ReceiverSettings.defaults(dir).withPort(0)
                .withBindAddress(InetAddress.getLoopbackAddress()).withEcho(terminal));
        send(patient("127.0.0.1"), receiver, "shown and logged\n");
        assertTrue(receiver.awaitText("127.0.0.1", "shown and logged", LIMIT));
        receiver.close();
        assertTrue(terminal.toString(StandardCharsets.UTF_8).matches(STAMP + "shown and logged\n"),
                terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closeWritesEverythingAlreadyReceived() throws Exception {
        NetconsoleReceiver receiver = startOnLoopback();
        DatagramSocket board = patient("127.0.0.1");
        for (int i = 0; i < 5000; i++) {
            send(board, receiver, "line " + i + "\n");
        }
        send(board, receiver, "an unfinished line");
        receiver.close();
        ReceiverStatistics stats = receiver.statistics();
        List<String> logged = Files.readAllLines(dir.resolve("netconsole-127.0.0.1.log"));
        assertEquals(stats.received(), stats.written());
        assertEquals(5001, stats.received() + stats.dropped(), stats.describe());
        assertEquals(stats.received(), logged.size());
        assertTrue(logged.get(logged.size() - 1).endsWith(" an unfinished line"));
    }
}
