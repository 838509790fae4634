package org.kernelrig.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.kernelrig.console.TimelineEntry;

/**
 * {@code timeline.log}: the merged console, one line an entry, with its
 * arrival in seconds since the run started and the witnesses that saw it;
 * a gap a witness reported stands between dashes.
 */
public final class TimelineLog {

    private TimelineLog() {
    }

    public static void write(Path file, Instant started, List<TimelineEntry> entries) throws IOException {
        Files.writeString(file, text(started, entries), StandardCharsets.UTF_8);
    }

    static String text(Instant started, List<TimelineEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (TimelineEntry entry : entries) {
            text.append(String.format(Locale.ROOT, "%10.3f %s %s%n",
                    Duration.between(started, entry.arrival()).toMillis() / 1000.0, entry.witnesses(),
                    entry.gap() ? "--- " + entry.text() + " ---" : entry.text()));
        }
        return text.toString();
    }
}
