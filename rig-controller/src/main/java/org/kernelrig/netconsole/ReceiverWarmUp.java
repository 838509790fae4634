package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.kernelrig.LabException;

/**
 * Runs the receiving and writing code hot before a doctor listens for real.
 * Until the JIT has compiled it, the receive path is several times slower,
 * and the socket's few milliseconds of buffer overflow under the first fast
 * burst: a kernel dying in a burst would lose its last lines. So a throwaway
 * receiver on a private loopback port takes a couple of hundred thousand
 * synthetic datagrams, plain and extended, with and without a line
 * subscriber, into a temporary folder that is deleted afterwards. Once per
 * process; about half a second.
 */
public final class ReceiverWarmUp {

    private static final int DATAGRAMS = 200_000;
    private static final int BATCH = 2_000;
    private static final Duration BUDGET = Duration.ofSeconds(5);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private ReceiverWarmUp() {
    }

    /** Warms up once; a failure only costs the warm-up, never the capture. */
    public static void once() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("rig-warm-up-");
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ReceiverSettings settings = ReceiverSettings.defaults(scratch).withBindAddress(loopback).withPort(0)
                    .withAllowed(Set.of(loopback));
            try (NetconsoleReceiver receiver = new NetconsoleReceiver(settings);
                    DatagramChannel sender = DatagramChannel.open()) {
                receiver.start();
                sender.connect(new InetSocketAddress(loopback, receiver.port()));
                long deadline = System.nanoTime() + BUDGET.toNanos();
                send(receiver, sender, 0, DATAGRAMS / 2, deadline);
                receiver.subscribe(PatientAddress.text(loopback), line -> { });
                send(receiver, sender, DATAGRAMS / 2, DATAGRAMS, deadline);
            }
        } catch (IOException | LabException e) {
            // Not warmed up: the doctor still works, only slower at first.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(scratch);
        }
    }

    /** Sends in batches, each once the previous one is written, so that the warm-up itself loses nothing. */
    private static void send(NetconsoleReceiver receiver, DatagramChannel sender, int from, int to, long deadline)
            throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        for (int i = from; i < to && System.nanoTime() < deadline; i++) {
            String text = i % 2 == 0 ? "rig warm-up line " + i + "\n"
                    : "6," + i + "," + (i * 1000L) + ",-;rig warm-up record " + i + "\n";
            buffer.clear();
            buffer.put(text.getBytes(StandardCharsets.US_ASCII)).flip();
            sender.write(buffer);
            if ((i + 1) % BATCH == 0) {
                while (receiver.statistics().written() < i + 1 - BATCH && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
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
