package org.kernelrig.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The crash lines of a run as one text of bounded length, for KCIDB's
 * {@code log_excerpt}: whole lines from the first crash on (a blank line
 * between crashes), and when they do not all fit, a last line saying how
 * many more the timeline holds.
 */
final class LogExcerpt {

    /** A single line longer than this is cut: a board can send anything. */
    static final int LINE_LIMIT = 1024;

    private LogExcerpt() {
    }

    static String of(List<RunReport.CrashFinding> crashes, int limit) {
        List<String> lines = new ArrayList<>();
        for (RunReport.CrashFinding crash : crashes) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            crash.lines().forEach(line -> lines.add(KcidbReport.text(line, LINE_LIMIT)));
        }
        int whole = lines.stream().mapToInt(l -> l.length() + 1).sum();
        StringBuilder excerpt = new StringBuilder();
        if (whole <= limit) {
            lines.forEach(l -> excerpt.append(l).append('\n'));
            return excerpt.toString();
        }
        // Room for the longest note there could be, so that the note always fits after the last whole line.
        int room = limit - note(lines.size()).length();
        int written = 0;
        while (written < lines.size() && excerpt.length() + lines.get(written).length() + 1 <= room) {
            excerpt.append(lines.get(written++)).append('\n');
        }
        return excerpt.append(note(lines.size() - written)).toString();
    }

    private static String note(int more) {
        return "[" + more + " more line(s) in timeline.log]\n";
    }
}
