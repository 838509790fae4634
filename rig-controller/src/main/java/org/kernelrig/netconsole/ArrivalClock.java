package org.kernelrig.netconsole;

/**
 * Wall-clock time in microseconds, cheap enough to stamp every datagram:
 * the monotonic clock measured from a wall-clock anchor that is renewed
 * every second, so no object is made per reading.
 */
final class ArrivalClock {

    private static final long RENEW_NANOS = 1_000_000_000L;

    private long anchorMicros;
    private long anchorNanos;

    ArrivalClock() {
        renew(System.nanoTime());
    }

    /** Microseconds since the epoch. Not thread safe: one clock per thread. */
    long nowMicros() {
        long nanos = System.nanoTime();
        if (nanos - anchorNanos >= RENEW_NANOS) {
            long previous = anchorMicros + (nanos - anchorNanos) / 1000;
            renew(nanos);
            // Never step back: the anchor has millisecond precision only.
            if (anchorMicros < previous) {
                anchorMicros = previous;
            }
        }
        return anchorMicros + (nanos - anchorNanos) / 1000;
    }

    private void renew(long nanos) {
        anchorNanos = nanos;
        anchorMicros = System.currentTimeMillis() * 1000;
    }
}
