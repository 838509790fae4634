package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Conformance with syzkaller's report parser on its public corpus of 747 real kernel logs
 * (test resources {@code syzkaller-linux-report/}): a crash is found exactly in the logs that have
 * a title, and the first crash is titled as syzkaller titles it. Prints the cases it misses, grouped.
 */
class SyzkallerConformanceTest {

    static final double DETECTION_THRESHOLD = 0.99;
    static final double TITLE_THRESHOLD = 0.90;

    /** Results over the corpus. */
    record Score(int files, int detected, int titled, int titleMatched, Map<String, List<String>> misses) {
        double detection() {
            return (double) detected / files;
        }

        double titles() {
            return (double) titleMatched / titled;
        }
    }

    static Path corpus() throws URISyntaxException {
        return Path.of(SyzkallerConformanceTest.class.getResource("/syzkaller-linux-report").toURI());
    }

    static Score score(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("\\d+")).sorted().toList();
        }
        int detected = 0;
        int titled = 0;
        int matched = 0;
        Map<String, List<String>> misses = new TreeMap<>();
        for (Path file : files) {
            LogCase c = LogCase.read(file);
            String expected = c.header("TITLE");
            if (expected != null && expected.isEmpty()) {
                expected = null; // "TITLE: " with nothing after it: no crash
            }
            List<Crash> crashes = CrashAnalyzer.analyze(c.log());
            boolean found = !crashes.isEmpty();
            if (found == (expected != null)) {
                detected++;
            } else if (found) {
                misses.computeIfAbsent("crash found in a log without one", k -> new ArrayList<>())
                        .add(c.name() + ": " + crashes.get(0).title());
            } else {
                misses.computeIfAbsent("no crash found", k -> new ArrayList<>()).add(c.name() + ": " + expected);
            }
            if (expected == null) {
                continue;
            }
            titled++;
            if (!found) {
                continue;
            }
            String title = crashes.get(0).title();
            if (title.equals(expected) || c.all("ALT").contains(title)) {
                matched++;
            } else {
                String group = expected.startsWith(head(title)) ? "wrong frame: " + head(title)
                        : "wrong class: " + head(expected);
                misses.computeIfAbsent(group, k -> new ArrayList<>())
                        .add(c.name() + ": expected '" + expected + "', got '" + title + "'");
            }
        }
        return new Score(files.size(), detected, titled, matched, misses);
    }

    /** The class of a title: the part before " in ". */
    private static String head(String title) {
        int in = title.indexOf(" in ");
        return in < 0 ? title : title.substring(0, in);
    }

    @Test
    void titlesAndDetectionAgreeWithSyzkaller() throws Exception {
        Score score = score(corpus());
        StringBuilder report = new StringBuilder();
        report.append(String.format("syzkaller corpus: %d files; crash found where expected: %d (%.1f%%); "
                + "first title as syzkaller's: %d of %d (%.1f%%)%n", score.files(), score.detected(),
                100 * score.detection(), score.titleMatched(), score.titled(), 100 * score.titles()));
        score.misses().entrySet().stream()
                .sorted((a, b) -> b.getValue().size() - a.getValue().size())
                .forEach(e -> {
                    report.append(String.format("%n%s (%d):%n", e.getKey(), e.getValue().size()));
                    e.getValue().forEach(m -> report.append("  ").append(m).append('\n'));
                });
        System.out.println(report);
        assertTrue(score.detection() >= DETECTION_THRESHOLD,
                String.format("crash detection agrees in %.1f%% of the files, expected >= 99%%", 100 * score.detection()));
        assertTrue(score.titles() >= TITLE_THRESHOLD,
                String.format("titles agree in %.1f%% of the titled files, expected >= 90%%", 100 * score.titles()));
    }
}
