package org.kernelrig.netconsole;

import java.util.concurrent.locks.LockSupport;

/**
 * How the receive thread tells a sleeping writer that datagrams wait, at
 * the cost of one volatile read per datagram while the writer is awake. The
 * writer says it sleeps, then looks at the ring once more before parking;
 * the receive thread publishes a datagram (a full fence), then looks at that
 * flag: one of the two always sees the other.
 */
final class WriterDoorbell {

    private volatile Thread writer;
    private volatile boolean sleeping;

    /** The writer thread introduces itself before its first sleep. */
    void writerIs(Thread thread) {
        writer = thread;
    }

    /** Receive thread: datagrams wait. */
    void ring() {
        if (sleeping) {
            sleeping = false;
            wakeUp();
        }
    }

    /** Wakes the writer whether or not it sleeps (used when stopping). */
    void wakeUp() {
        Thread thread = writer;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Writer: sleeps up to the limit unless the ring has something or the bell rings. */
    void sleepUnlessQueued(DatagramRing ring, long limitNanos) {
        sleeping = true;
        if (ring.isEmpty()) {
            LockSupport.parkNanos(limitNanos);
        }
        sleeping = false;
    }
}
