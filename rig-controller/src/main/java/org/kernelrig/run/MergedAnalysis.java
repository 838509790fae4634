package org.kernelrig.run;

import java.util.ArrayList;
import java.util.List;

import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;

/**
 * The analyzer run again once pstore's records are merged: on what the live
 * witnesses captured up to the end of the capture, followed by the lines
 * only pstore recovered. The board's reboot, which the serial console saw in
 * between, is no part of the crash.
 */
final class MergedAnalysis {

    private MergedAnalysis() {
    }

    /**
     * The crashes that start after {@code triggerEntry}, with their line numbers as timeline entry indices.
     *
     * @param captureEnd the timeline's size when the capture ended
     */
    static List<Crash> crashesAfter(List<TimelineEntry> entries, int captureEnd, int triggerEntry) {
        List<Integer> entryOf = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (TimelineEntry entry : entries) {
            if (entry.index() <= captureEnd || entry.seenOnly(ConsoleLine.Source.PSTORE)) {
                entryOf.add(entry.index());
                text.add(entry.text());
            }
        }
        List<Crash> crashes = new ArrayList<>();
        for (Crash c : CrashAnalyzer.analyze(text)) {
            int first = entryOf.get(c.firstLine() - 1);
            int last = entryOf.get(Math.min(c.lastLine(), entryOf.size()) - 1);
            if (first > triggerEntry) {
                crashes.add(new Crash(c.kind(), c.title(), c.alternativeTitles(), c.corrupted(), c.corruptedReason(),
                        c.panicked(), c.panicReason(), c.guiltyFrame(), c.frames(), c.taint(), c.kernelRelease(),
                        c.hardware(), first, last, c.complete(), c.fingerprint(), c.report()));
            }
        }
        return crashes;
    }

    /** True when no live witness saw any line of the crash: pstore alone kept it. */
    static boolean onlyRecovered(List<TimelineEntry> entries, Crash crash) {
        return entries.stream().filter(e -> e.index() >= crash.firstLine() && e.index() <= crash.lastLine() && !e.gap())
                .allMatch(e -> e.seenOnly(ConsoleLine.Source.PSTORE));
    }
}
