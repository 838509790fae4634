package org.kernelrig.netconsole;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.kernelrig.LabException;

/**
 * Runs the receiving and writing code hot before a doctor listens for real.
 * Until the JIT has compiled it, the receive path is several times slower,
 * and the socket's few milliseconds of buffer overflow under the first fast
 * burst: a kernel dying in a burst would lose its last lines.
 *
 * <p>The warm-up is shaped like the receiver that follows (same address
 * family, same history, an echo or none, two senders taking turns, with and
 * without a line subscriber), because compiled code that meets a case its
 * warm-up never showed is thrown away and compiled again: that would happen
 * in the middle of the first burst, with the compiler taking the CPU the
 * receiver needs. So a throwaway receiver on a private port takes a couple
 * of hundred thousand synthetic datagrams into a temporary folder, deleted
 * afterwards, and the warm-up ends once the compiler has gone quiet. Once
 * per process; about a second.
 */
public final class ReceiverWarmUp {

    private static final int DATAGRAMS = 100_000;
    private static final int BATCH = 2_000;
    private static final Duration BUDGET = Duration.ofSeconds(3);
    /** The compiler counts as quiet after this long without compiling. */
    private static final long QUIET_NANOS = 200_000_000L;
    /** A small ring: its memory is given back only when the collector finds it, and the doctor's own comes next. */
    private static final int WARM_UP_RING = 4 << 20;
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private ReceiverWarmUp() {
    }

    /** Warms up once, like a receiver with these settings; a failure only costs the warm-up, never the capture. */
    public static void once(ReceiverSettings like) {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        Path scratch = null;
        List<DatagramChannel> senders = new ArrayList<>();
        try {
            scratch = Files.createTempDirectory("rig-warm-up-");
            List<InetAddress> from = senderAddresses(like.bindAddress());
            InetAddress bind = like.bindAddress() == null || like.bindAddress().isAnyLocalAddress() ? null
                    : from.get(0);
            ReceiverSettings settings = ReceiverSettings.defaults(scratch).withBindAddress(bind).withPort(0)
                    .withAllowed(new HashSet<>(from)).withHistoryLines(like.historyLines()).withMemoryBytes(WARM_UP_RING)
                    .withEcho(like.echo() == null ? null : OutputStream.nullOutputStream());
            try (NetconsoleReceiver receiver = new NetconsoleReceiver(settings)) {
                receiver.start();
                for (InetAddress address : from) {
                    DatagramChannel sender = DatagramChannel.open();
                    senders.add(sender);
                    sender.bind(new InetSocketAddress(address, 0));
                    sender.connect(new InetSocketAddress(bind != null ? bind : address, receiver.port()));
                }
                long deadline = System.nanoTime() + BUDGET.toNanos();
                send(receiver, senders, 0, DATAGRAMS / 2, deadline);
                for (InetAddress address : from) {
                    receiver.subscribe(PatientAddress.text(address), line -> { });
                }
                send(receiver, senders, DATAGRAMS / 2, DATAGRAMS, deadline);
                awaitQuietCompiler(deadline);
            }
        } catch (IOException | LabException e) {
            // Not warmed up: the doctor still works, only slower at first.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (DatagramChannel sender : senders) {
                try {
                    sender.close();
                } catch (IOException e) {
                    // a loopback socket
                }
            }
            delete(scratch);
        }
    }

    /**
     * Two loopback senders of the family the receiver will meet: a receiver
     * of every address sees IPv4 senders through its IPv6 socket, one bound
     * to an IPv6 address sees IPv6 ones.
     */
    private static List<InetAddress> senderAddresses(InetAddress bind) throws IOException {
        if (bind != null && !(bind instanceof Inet4Address) && !bind.isAnyLocalAddress()) {
            return List.of(InetAddress.getByName("::1"));
        }
        return List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"));
    }

    /** Sends in batches, each once the previous one is written, so that the warm-up itself loses nothing. */
    private static void send(NetconsoleReceiver receiver, List<DatagramChannel> senders, int from, int to,
            long deadline) throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        for (int i = from; i < to && System.nanoTime() < deadline; i++) {
            String text = i % 2 == 0 ? "rig warm-up line " + i + "\n"
                    : "6," + i + "," + (i * 1000L) + ",-;rig warm-up record " + i + "\n";
            buffer.clear();
            buffer.put(text.getBytes(StandardCharsets.US_ASCII)).flip();
            senders.get(i / 64 % senders.size()).write(buffer);
            if ((i + 1) % BATCH == 0) {
                while (receiver.written() < i + 1 - BATCH && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Waits until the JIT has compiled nothing for a while: its work would compete with the first burst. */
    private static void awaitQuietCompiler(long deadline) {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long last = compiler.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET_NANOS && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L);
            long now = compiler.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it eventually
        }
    }
}
