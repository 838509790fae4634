package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The receive thread's work: take datagrams off the socket as fast as the
 * kernel hands them over, straight into the ring, and do nothing else. The
 * sender is checked against the allow list once per change of sender (the
 * socket hands back the same address object for consecutive datagrams of
 * one sender), so the loop allocates nothing.
 */
final class ReceiveLoop implements Runnable, ReceiveSocket.Handler {

    private static final int FOREIGN = -1;
    private static final int OVER_LIMIT = -2;
    private static final int RECEIVED = 0;
    private static final int DROPPED = 1;
    private static final int FOREIGN_COUNT = 2;
    private static final int OVER_LIMIT_COUNT = 3;
    /** On stopping, how long to go on taking what the kernel holds, against a flood that never ends. */
    private static final long DRAIN_NANOS = 500_000_000L;

    private final ReceiveSocket socket;
    private final DatagramRing ring;
    private final Set<InetAddress> allowed;
    private final AtomicReferenceArray<InetAddress> patients;
    private final Map<InetAddress, Integer> numbers = new HashMap<>();
    private final WriterDoorbell writer;
    private final ArrivalClock clock = new ArrivalClock();
    private InetAddress lastSender;
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

    /**
     * @param allowed    the patients allowed to send; empty allows everyone
     * @param patients   filled with each new patient's address at its number
     * @param writer     rung after datagrams are queued, and when the ring is full
     */
    ReceiveLoop(ReceiveSocket socket, DatagramRing ring, Set<InetAddress> allowed,
            AtomicReferenceArray<InetAddress> patients, WriterDoorbell writer) {
        this.socket = socket;
        this.ring = ring;
        this.allowed = Set.copyOf(allowed);
        this.patients = patients;
        this.writer = writer;
    }

    /** Makes the loop end within the socket's wait (100 ms); the caller closes the socket after. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        ThreadPriority.forReceiver();
        try {
            while (!stopping) {
                if (socket.receive(this) > 0) {
                    publish();
                }
            }
            // Stopping: keep what the kernel already holds, within a time limit against a flood.
            long drainUntil = System.nanoTime() + DRAIN_NANOS;
            while (socket.receiveWaiting(this) > 0 && System.nanoTime() < drainUntil) {
                publish();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            publish();
            finished = true;
            writer.wakeUp();
        }
    }

    /** One datagram from the socket: into the ring, or counted where it went instead. */
    @Override
    public void datagram(InetAddress sender, ByteBuffer data, int size) {
        if (sender != lastSender) {
            lastNumber = numberOf(sender);
            lastSender = sender;
        }
        if (lastNumber >= 0) {
            ByteBuffer target = ring.claim();
            if (target == null) {
                publish();
                counted[DROPPED]++;
                return;
            }
            target.put(data);
            ring.commit(lastNumber, size, clock.nowMicros());
            counted[RECEIVED]++;
        } else if (lastNumber == FOREIGN) {
            counted[FOREIGN_COUNT]++;
        } else {
            counted[OVER_LIMIT_COUNT]++;
        }
    }

    /**
     * After each batch of datagrams: the counters to everyone, then one fence
     * makes the datagrams visible to the writer, which is woken if it sleeps
     * (per datagram this would cost more than the receiving). Counters first:
     * whoever sees a datagram's line sees it counted.
     */
    private void publish() {
        received = counted[RECEIVED];
        dropped = counted[DROPPED];
        foreign = counted[FOREIGN_COUNT];
        overLimit = counted[OVER_LIMIT_COUNT];
        ring.publish();
        writer.ring();
    }

    private int numberOf(InetAddress address) {
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
