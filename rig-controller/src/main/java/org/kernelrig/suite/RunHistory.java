package org.kernelrig.suite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.kernelrig.report.JsonReport;
import org.kernelrig.report.RunReport;

/**
 * The runs recorded in a reports folder: every {@code reports/<run-id>/report.json}
 * of a single run and every {@code reports/<suite-id>/<run-id>/report.json}
 * of a suite. A file that cannot be read (half written, damaged, too large,
 * some other program's JSON) is left out and counted, never fatal.
 */
public final class RunHistory {

    /** A report.json is tens of kilobytes; anything this large is not one. */
    public static final long MAX_REPORT_BYTES = 16L << 20;
    /** The file a run folder holds its report in. */
    public static final String REPORT_FILE = "report.json";

    /**
     * One recorded run.
     *
     * @param folder  its folder
     * @param suiteId the suite folder it lies in, or null for a run of its own
     */
    public record PastRun(RunReport report, Path folder, String suiteId) {
    }

    /**
     * One recorded suite: a folder of run folders.
     *
     * @param started when its first run started
     */
    public record PastSuite(String suiteId, Path folder, Instant started, List<RunReport> runs) {

        public PastSuite {
            runs = List.copyOf(runs);
        }
    }

    /** A file left out, and why. */
    public record Unreadable(Path file, String why) {

        @Override
        public String toString() {
            return file + ": " + why;
        }
    }

    private final List<PastRun> runs;
    private final List<Unreadable> unreadable;

    private RunHistory(List<PastRun> runs, List<Unreadable> unreadable) {
        this.runs = runs.stream().sorted(Comparator.comparing((PastRun r) -> r.report().started())
                .thenComparing(r -> r.report().runId())).toList();
        this.unreadable = List.copyOf(unreadable);
    }

    /** Reads every run under {@code reports}; a missing folder is an empty history. */
    public static RunHistory read(Path reports) {
        List<PastRun> runs = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Path folder : subfolders(reports, unreadable)) {
            Path report = folder.resolve(REPORT_FILE);
            if (Files.exists(report, LinkOption.NOFOLLOW_LINKS)) {
                readRun(report, null, runs, unreadable);
                continue;
            }
            String suiteId = folder.getFileName().toString();
            for (Path run : subfolders(folder, unreadable)) {
                Path nested = run.resolve(REPORT_FILE);
                if (Files.exists(nested, LinkOption.NOFOLLOW_LINKS)) {
                    readRun(nested, suiteId, runs, unreadable);
                }
            }
        }
        return new RunHistory(runs, unreadable);
    }

    private static void readRun(Path file, String suiteId, List<PastRun> runs, List<Unreadable> unreadable) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                unreadable.add(new Unreadable(file, "not a regular file"));
                return;
            }
            long size = Files.size(file);
            if (size > MAX_REPORT_BYTES) {
                unreadable.add(new Unreadable(file, String.format(Locale.ROOT,
                        "too large for a run report (%d bytes, at most %d)", size, MAX_REPORT_BYTES)));
                return;
            }
            RunReport report = JsonReport.read(Files.readAllBytes(file));
            runs.add(new PastRun(report, file.getParent(), suiteId));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            unreadable.add(new Unreadable(file, why.lines().findFirst().orElse(why)));
        }
    }

    private static List<Path> subfolders(Path folder, List<Unreadable> unreadable) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && !entry.getFileName().toString().startsWith(".")) {
                    folders.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            unreadable.add(new Unreadable(folder, "cannot list the folder: " + e.getMessage()));
        }
        folders.sort(Comparator.naturalOrder());
        return folders;
    }

    /** Every run read, oldest first. */
    public List<PastRun> runs() {
        return runs;
    }

    /** The reports of every run read, oldest first. */
    public List<RunReport> reports() {
        return runs.stream().map(PastRun::report).toList();
    }

    /** The reports of the runs that started before {@code time}, oldest first. */
    public List<RunReport> before(Instant time) {
        return runs.stream().map(PastRun::report).filter(r -> r.started().isBefore(time)).toList();
    }

    /** The files left out, with the reason for each. */
    public List<Unreadable> unreadable() {
        return unreadable;
    }

    /** One line for a report about the files left out, or nothing when every file was read. */
    public List<String> warnings() {
        if (unreadable.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add(unreadable.size() + (unreadable.size() == 1 ? " earlier report could not be read and was left out"
                : " earlier reports could not be read and were left out"));
        unreadable.stream().limit(10).forEach(u -> lines.add(u.toString()));
        if (unreadable.size() > 10) {
            lines.add("... and " + (unreadable.size() - 10) + " more");
        }
        return lines;
    }

    /**
     * The latest run of {@code board} and {@code scenario} that started
     * before {@code time} and saw the kernel (see {@link CrashChanges#observedKernel}).
     */
    public Optional<RunReport> previousRun(String board, String scenario, Instant time) {
        return runs.stream().map(PastRun::report)
                .filter(r -> r.board().name().equals(board) && r.scenario().name().equals(scenario)
                        && r.started().isBefore(time) && CrashChanges.observedKernel(r))
                .reduce((earlier, later) -> later);
    }

    /** The suites, oldest first. */
    public List<PastSuite> suites() {
        Map<String, List<PastRun>> bySuite = new LinkedHashMap<>();
        runs.stream().filter(r -> r.suiteId() != null)
                .forEach(r -> bySuite.computeIfAbsent(r.suiteId(), k -> new ArrayList<>()).add(r));
        return bySuite.entrySet().stream().map(e -> new PastSuite(e.getKey(), e.getValue().get(0).folder().getParent(),
                e.getValue().get(0).report().started(), e.getValue().stream().map(PastRun::report).toList()))
                .sorted(Comparator.comparing(PastSuite::started).thenComparing(PastSuite::suiteId)).toList();
    }

    /** The latest suite whose first run started before {@code time}, except {@code excluding} (the current one). */
    public Optional<PastSuite> previousSuite(Instant time, String excluding) {
        return suites().stream().filter(s -> s.started().isBefore(time) && !s.suiteId().equals(excluding))
                .reduce((earlier, later) -> later);
    }
}
