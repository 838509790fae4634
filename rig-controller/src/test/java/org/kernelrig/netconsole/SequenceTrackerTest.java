package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.kernelrig.netconsole.SequenceTracker.Outcome;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker(100);

    @Test
    void consecutiveNumbersLeaveNoGap() {
        assertEquals(Outcome.FIRST, tracker.observe(500));
        for (long s = 501; s < 600; s++) {
            assertEquals(Outcome.NEXT, tracker.observe(s));
        }
        assertEquals(0, tracker.missing());
        assertEquals(List.of(), tracker.gaps());
    }

    @Test
    void reportsGapsAsCountsAndRanges() {
        tracker.observe(1);
        assertEquals(Outcome.GAP, tracker.observe(5));
        tracker.observe(6);
        assertEquals(Outcome.GAP, tracker.observe(8));
        assertEquals(4, tracker.missing());
        assertEquals(List.of(new SequenceGap(2, 4, true), new SequenceGap(7, 7, true)), tracker.gaps());
        assertEquals("2..4", tracker.gaps().get(0).toString());
    }

    @Test
    void aLateRecordFillsItsGap() {
        tracker.observe(1);
        tracker.observe(6);
        assertEquals(Outcome.LATE, tracker.observe(3));
        assertEquals(List.of(new SequenceGap(2, 2, true), new SequenceGap(4, 5, true)), tracker.gaps());
        assertEquals(Outcome.LATE, tracker.observe(2));
        assertEquals(Outcome.LATE, tracker.observe(5));
        assertEquals(Outcome.LATE, tracker.observe(4));
        assertEquals(0, tracker.missing());
        assertEquals(4, tracker.late());
        assertEquals(List.of(), tracker.gaps());
    }

    @Test
    void aNumberThatFillsNoGapIsANewBoot() {
        tracker.observe(1000);
        tracker.observe(1003);
        assertEquals(Outcome.RESTART, tracker.observe(412));
        assertEquals(Outcome.NEXT, tracker.observe(413));
        assertEquals(1, tracker.restarts());
        assertEquals(List.of(new SequenceGap(1001, 1002, false)), tracker.gaps());
        assertEquals(2, tracker.missing());
        // The old boot's gap is closed: a number in it now belongs to the new boot.
        assertEquals(Outcome.GAP, tracker.observe(1001));
    }

    @Test
    void aMillionScatteredNumbersKeepMemoryBoundedAndCountsExact() {
        long expectedMissing = 0;
        long highest = 0;
        tracker.observe(0);
        for (long s = 2; s <= 2_000_000; s += 2) {
            tracker.observe(s);
            expectedMissing++;
            highest = s;
        }
        assertEquals(expectedMissing, tracker.missing());
        assertEquals(1_000_000, tracker.gapsTotal());
        assertTrue(tracker.rangesHeld() <= 200, "ranges held: " + tracker.rangesHeld());
        assertEquals(new SequenceGap(highest - 1, highest - 1, true), tracker.gaps().get(tracker.gaps().size() - 1));

        // A late one from a gap no longer listed still counts as arrived, not as a reboot.
        assertEquals(Outcome.LATE, tracker.observe(3));
        assertEquals(expectedMissing - 1, tracker.missing());
        assertEquals(0, tracker.restarts());
    }

    @Test
    void randomNumbersNeverBreakTheBound() {
        Random random = new Random(42);
        for (int i = 0; i < 1_000_000; i++) {
            tracker.observe(random.nextLong() & Long.MAX_VALUE >>> 1);
        }
        assertTrue(tracker.rangesHeld() <= 200, "ranges held: " + tracker.rangesHeld());
        assertTrue(tracker.gaps().size() <= 200);
    }
}
