package org.kernelrig.netconsole;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows the sequence numbers of one patient's extended records and says
 * which ones never arrived. A late record fills its gap. A number at or
 * below the highest seen that fills no gap means the patient booted again
 * (netconsole does not duplicate datagrams): the open gaps are closed as
 * lost and counting starts over.
 *
 * <p>Memory is bounded: at most {@code maxRanges} open gaps (the oldest are
 * closed as lost when more appear) and {@code maxRanges} closed ones kept for
 * the report; the counts stay exact.
 */
public final class SequenceTracker {

    /** What one sequence number was. */
    public enum Outcome { FIRST, NEXT, GAP, LATE, RESTART }

    private final int maxRanges;
    private long highest = -1;
    /** Open gaps, first number to last number. */
    private final TreeMap<Long, Long> open = new TreeMap<>();
    /** Numbers below this were in gaps that are no longer tracked. */
    private long untrackedBelow = -1;
    private final ArrayDeque<SequenceGap> closed = new ArrayDeque<>();
    private long missing;
    private long late;
    private long restarts;
    private long gapsTotal;

    public SequenceTracker(int maxRanges) {
        this.maxRanges = maxRanges;
    }

    public Outcome observe(long sequence) {
        if (highest < 0) {
            highest = sequence;
            return Outcome.FIRST;
        }
        if (sequence == highest + 1) {
            highest = sequence;
            return Outcome.NEXT;
        }
        if (sequence > highest) {
            open.put(highest + 1, sequence - 1);
            missing += sequence - 1 - highest;
            gapsTotal++;
            highest = sequence;
            keepBound();
            return Outcome.GAP;
        }
        Map.Entry<Long, Long> gap = open.floorEntry(sequence);
        if (gap != null && gap.getValue() >= sequence) {
            open.remove(gap.getKey());
            if (gap.getKey() < sequence) {
                open.put(gap.getKey(), sequence - 1);
            }
            if (gap.getValue() > sequence) {
                open.put(sequence + 1, gap.getValue());
            }
            keepBound();
            missing--;
            late++;
            return Outcome.LATE;
        }
        if (sequence < untrackedBelow) {
            // Its gap was pushed out of memory; it still arrived.
            missing--;
            late++;
            return Outcome.LATE;
        }
        restarts++;
        for (Map.Entry<Long, Long> lost : open.entrySet()) {
            close(new SequenceGap(lost.getKey(), lost.getValue(), false));
        }
        open.clear();
        untrackedBelow = -1;
        highest = sequence;
        return Outcome.RESTART;
    }

    /** Too many open gaps: the oldest stop being tracked (they stay counted and listed as closed). */
    private void keepBound() {
        while (open.size() > maxRanges) {
            Map.Entry<Long, Long> oldest = open.pollFirstEntry();
            untrackedBelow = Math.max(untrackedBelow, oldest.getValue() + 1);
            close(new SequenceGap(oldest.getKey(), oldest.getValue(), false));
        }
    }

    private void close(SequenceGap gap) {
        closed.addLast(gap);
        if (closed.size() > maxRanges) {
            closed.removeFirst();
        }
    }

    /** Records reported missing and not filled since. */
    public long missing() {
        return missing;
    }

    public long late() {
        return late;
    }

    public long restarts() {
        return restarts;
    }

    /** Gaps ever seen, including those no longer listed. */
    public long gapsTotal() {
        return gapsTotal;
    }

    public long highest() {
        return highest;
    }

    /** The gaps still listed: closed ones first, then the open ones, in order. */
    public List<SequenceGap> gaps() {
        List<SequenceGap> gaps = new ArrayList<>(closed);
        for (Map.Entry<Long, Long> gap : open.entrySet()) {
            gaps.add(new SequenceGap(gap.getKey(), gap.getValue(), true));
        }
        return gaps;
    }

    /** How many gaps are held in memory (for tests of the bound). */
    int rangesHeld() {
        return open.size() + closed.size();
    }
}
