package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The receive thread's work: take datagrams off the socket as fast as the
 * kernel hands them over, straight into the ring, and do nothing else. The
 * sender is checked against the allow list once per change of sender (the
 * JDK hands back the same address object for consecutive datagrams of one
 * sender), so the loop allocates nothing.
 *
 * <p>The socket is non-blocking. While datagrams flow, the thread empties
 * the socket, then pauses 50 µs (longer, up to 1 ms, while it finds the
 * socket empty) and empties it again: the kernel never has to
 * wake it for each datagram (those wake-ups cost the sender and the receiver
 * more than the receiving), and a thread that mostly sleeps is the one the
 * scheduler runs first when the machine is busy, where a spinning one would
 * be preempted for whole time slices and the socket buffer would overflow.
 * After 5 ms without datagrams it waits on a selector.
 */
final class ReceiveLoop implements Runnable {

    private static final int FOREIGN = -1;
    private static final int OVER_LIMIT = -2;
    private static final int RECEIVED = 0;
    private static final int DROPPED = 1;
    private static final int FOREIGN_COUNT = 2;
    private static final int OVER_LIMIT_COUNT = 3;
    /** While datagrams flow, the pause between emptying the socket and looking again. */
    private static final long POLL_PAUSE_NANOS = 50_000;
    /** The longest pause while polling: the socket buffer holds several milliseconds of a burst. */
    private static final long MAX_POLL_PAUSE_NANOS = 1_000_000;
    /** How long after the last datagram to keep polling before sleeping on the selector. */
    private static final long POLL_WINDOW_NANOS = 5_000_000;
    /** Datagrams taken at most before looking at the stop flag again. */
    private static final int DRAIN_BATCH = 4096;
    private static final long DRAIN_NANOS = 2_000_000_000L;

    private final DatagramChannel channel;
    private final DatagramRing ring;
    private final Set<InetAddress> allowed;
    private final AtomicReferenceArray<InetAddress> patients;
    private final Map<InetAddress, Integer> numbers = new HashMap<>();
    private final WriterDoorbell writer;
    private final ByteBuffer discard = ByteBuffer.allocateDirect(DatagramRing.MAX_DATAGRAM);
    private final ArrivalClock clock = new ArrivalClock();
    private SocketAddress lastSender;
    private int lastNumber = FOREIGN;

    /** The counts as the receive thread keeps them; published in {@link #publish}. */
    private final long[] counted = new long[4];
    private volatile long received;
    private volatile long dropped;
    private volatile long foreign;
    /** The last sender not on the allow list: one address, however many there are, for the diagnosis. */
    private volatile InetAddress lastForeign;
    private volatile long overLimit;
    private volatile IOException failure;
    private volatile boolean finished;
    private volatile boolean stopping;
    private final Selector selector;

    /**
     * @param allowed    the patients allowed to send; empty allows everyone
     * @param patients   filled with each new patient's address at its number
     * @param writer     rung after a datagram is queued, and when the ring is full
     */
    ReceiveLoop(DatagramChannel channel, DatagramRing ring, Set<InetAddress> allowed,
            AtomicReferenceArray<InetAddress> patients, WriterDoorbell writer) throws IOException {
        this.channel = channel;
        this.ring = ring;
        this.allowed = Set.copyOf(allowed);
        this.patients = patients;
        this.writer = writer;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** Makes the loop end soon; the caller closes the channel after. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        long lastDatagram = System.nanoTime() - POLL_WINDOW_NANOS;
        long pause = POLL_PAUSE_NANOS;
        try {
            while (!stopping) {
                boolean any = false;
                for (int i = 0; i < DRAIN_BATCH && receiveOne(); i++) {
                    any = true;
                }
                long now = System.nanoTime();
                if (any) {
                    publish();
                    lastDatagram = now;
                    pause = POLL_PAUSE_NANOS;
                } else if (now - lastDatagram < POLL_WINDOW_NANOS) {
                    // Datagrams are flowing: let some gather in the socket, then take them all.
                    // A trickle lengthens the pause, so it costs few wake-ups.
                    LockSupport.parkNanos(pause);
                    pause = Math.min(pause * 2, MAX_POLL_PAUSE_NANOS);
                } else {
                    selector.select(100);
                    selector.selectedKeys().clear();
                    lastDatagram = System.nanoTime();
                }
            }
            // Stopping: keep what the kernel already holds, within a time limit against a flood.
            long drainUntil = System.nanoTime() + DRAIN_NANOS;
            while (receiveOne() && System.nanoTime() < drainUntil) {
                // next
            }
        } catch (ClosedChannelException stopped) {
            // Closed under us: the normal end too.
        } catch (IOException e) {
            failure = e;
        } finally {
            try {
                selector.close();
            } catch (IOException e) {
                // Nothing was pending on it.
            }
            publish();
            finished = true;
            writer.wakeUp();
        }
    }

    /** Receives one datagram if the socket has one; false when it has none. */
    private boolean receiveOne() throws IOException {
        ByteBuffer target = ring.claim();
        boolean full = target == null;
        if (full) {
            publish();
            discard.clear();
            target = discard;
        }
        SocketAddress sender = channel.receive(target);
        if (sender == null) {
            return false;
        }
        long arrival = clock.nowMicros();
        if (sender != lastSender) {
            lastNumber = numberOf(sender);
            lastSender = sender;
        }
        if (lastNumber >= 0 && !full) {
            ring.commit(lastNumber, arrival);
            counted[RECEIVED]++;
        } else if (lastNumber == FOREIGN) {
            counted[FOREIGN_COUNT]++;
        } else if (lastNumber == OVER_LIMIT) {
            counted[OVER_LIMIT_COUNT]++;
        } else {
            counted[DROPPED]++;
        }
        return true;
    }

    /**
     * After each run of datagrams: one fence makes them visible to the writer,
     * which is woken if it sleeps, and the counters to everyone (per datagram
     * this would cost more than the receiving).
     */
    private void publish() {
        ring.publish();
        writer.ring();
        received = counted[RECEIVED];
        dropped = counted[DROPPED];
        foreign = counted[FOREIGN_COUNT];
        overLimit = counted[OVER_LIMIT_COUNT];
    }

    private int numberOf(SocketAddress sender) {
        InetAddress address = PatientAddress.canonical(((InetSocketAddress) sender).getAddress());
        Integer known = numbers.get(address);
        if (known != null) {
            return known;
        }
        if (!allowed.isEmpty() && !allowed.contains(address)) {
            // Foreign senders are not remembered, but the last one: a flood of them must not fill memory.
            lastForeign = address;
            return FOREIGN;
        }
        if (numbers.size() >= patients.length()) {
            return OVER_LIMIT;
        }
        int number = numbers.size();
        patients.set(number, address);
        numbers.put(address, number);
        return number;
    }

    long received() {
        return received;
    }

    long dropped() {
        return dropped;
    }

    InetAddress lastForeign() {
        return lastForeign;
    }

    long foreign() {
        return foreign;
    }

    long overLimit() {
        return overLimit;
    }

    /** Why receiving stopped, when it was not close(). */
    IOException failure() {
        return failure;
    }

    boolean finished() {
        return finished;
    }
}
