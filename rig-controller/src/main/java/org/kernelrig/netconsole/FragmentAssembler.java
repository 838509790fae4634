package org.kernelrig.netconsole;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kernelrig.netconsole.ExtendedDatagram.Header;

/**
 * Joins the {@code ncfrag} fragments of one patient's extended records, in
 * any order. Bounded: at most {@code maxPending} incomplete messages of at
 * most {@link ExtendedRecordDecoder#MAX_MESSAGE} bytes each, none older than
 * {@code maxAgeNanos}; what is pushed out is counted as expired. Fragments
 * that contradict each other are counted as malformed and ignored.
 */
final class FragmentAssembler {

    private static final class Partial {
        final int total;
        final byte[] whole;
        final BitSet have;
        final long firstNanos;
        int received;

        Partial(int total, long firstNanos) {
            this.total = total;
            this.whole = new byte[total];
            this.have = new BitSet(total);
            this.firstNanos = firstNanos;
        }
    }

    private final int maxPending;
    private final long maxAgeNanos;
    /** Incomplete messages by sequence number, oldest first. */
    private final LinkedHashMap<Long, Partial> pending = new LinkedHashMap<>();
    private long malformed;
    private long expired;

    FragmentAssembler(int maxPending, long maxAgeNanos) {
        this.maxPending = maxPending;
        this.maxAgeNanos = maxAgeNanos;
    }

    /**
     * Adds one fragment (its header has a fragment field); returns the whole
     * body when this fragment completes it, else null.
     */
    byte[] add(Header fragment, long nowNanos) {
        expire(nowNanos);
        int offset = fragment.fragment().offset();
        int total = fragment.fragment().total();
        byte[] body = fragment.body();
        if (total <= 0 || total > ExtendedRecordDecoder.MAX_MESSAGE || offset < 0 || body.length == 0
                || (long) offset + body.length > total) {
            malformed++;
            return null;
        }
        Partial partial = pending.get(fragment.sequence());
        if (partial == null) {
            if (pending.size() >= maxPending) {
                evictOldest();
            }
            partial = new Partial(total, nowNanos);
            pending.put(fragment.sequence(), partial);
        } else if (partial.total != total) {
            malformed++;
            return null;
        }
        int next = partial.have.nextSetBit(offset);
        if (next >= 0 && next < offset + body.length) {
            malformed++; // a duplicate or an overlap: keep what came first
            return null;
        }
        System.arraycopy(body, 0, partial.whole, offset, body.length);
        partial.have.set(offset, offset + body.length);
        partial.received += body.length;
        if (partial.received < total) {
            return null;
        }
        pending.remove(fragment.sequence());
        return partial.whole;
    }

    /** Drops incomplete messages older than the age limit. */
    void expire(long nowNanos) {
        Iterator<Map.Entry<Long, Partial>> oldestFirst = pending.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Partial partial = oldestFirst.next().getValue();
            if (nowNanos - partial.firstNanos < maxAgeNanos) {
                break;
            }
            oldestFirst.remove();
            expired++;
        }
    }

    private void evictOldest() {
        Iterator<Long> oldest = pending.keySet().iterator();
        oldest.next();
        oldest.remove();
        expired++;
    }

    int pending() {
        return pending.size();
    }

    long malformed() {
        return malformed;
    }

    /** Incomplete messages given up: too old, or pushed out by newer ones. */
    long expired() {
        return expired;
    }
}
