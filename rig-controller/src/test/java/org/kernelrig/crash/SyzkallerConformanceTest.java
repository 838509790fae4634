package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Conformance with syzkaller's report parser on its public corpus of 747 real kernel logs
 * (test resources {@code syzkaller-linux-report/}): a crash is found exactly in the logs that have
 * a title, and the first crash is titled as syzkaller titles it, but in the files that
 * {@code syzkaller-known-title-misses.txt} names with the reason. Prints the cases it misses, grouped.
 */
class SyzkallerConformanceTest {

    /** Results over the corpus; {@code titleMisses} are the names of the files whose title differs. */
    record Score(int files, int detected, int titled, int titleMatched, Map<String, List<String>> misses,
            List<String> detectionMisses, Set<String> titleMisses) {
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
        List<String> detectionMisses = new ArrayList<>();
        Set<String> titleMisses = new TreeSet<>();
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
            } else {
                detectionMisses.add(c.name());
            }
            if (found && expected == null) {
                misses.computeIfAbsent("crash found in a log without one", k -> new ArrayList<>())
                        .add(c.name() + ": " + crashes.get(0).title());
            } else if (!found && expected != null) {
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
                titleMisses.add(c.name());
                String group = expected.startsWith(head(title)) ? "wrong frame: " + head(title)
                        : "wrong class: " + head(expected);
                misses.computeIfAbsent(group, k -> new ArrayList<>())
                        .add(c.name() + ": expected '" + expected + "', got '" + title + "'");
            }
        }
        return new Score(files.size(), detected, titled, matched, misses, detectionMisses, titleMisses);
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
        assertEquals(List.of(), score.detectionMisses(), "files where the crash found disagrees with syzkaller's");
        Map<String, String> known = knownTitleMisses();
        Set<String> unexpected = new TreeSet<>(score.titleMisses());
        unexpected.removeAll(known.keySet());
        assertEquals(Set.of(), unexpected, "titles that differ from syzkaller's and are not known misses");
        Set<String> fixed = new TreeSet<>(known.keySet());
        fixed.removeAll(score.titleMisses());
        assertEquals(Set.of(), fixed, "known title misses that are titled right now: take them off the list");
    }

    /** {@code syzkaller-known-title-misses.txt}: a file name and the reason per line; {@code #} starts a comment. */
    static Map<String, String> knownTitleMisses() throws IOException, URISyntaxException {
        Path list = Path.of(SyzkallerConformanceTest.class.getResource("/syzkaller-known-title-misses.txt").toURI());
        Map<String, String> known = new TreeMap<>();
        for (String line : Files.readAllLines(list)) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String[] parts = entry.split("\\s+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(list + ": a known miss without its reason: " + line);
            }
            known.put(parts[0], parts[1]);
        }
        return known;
    }
}
