package org.kernelrig.suite;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.suite.CrashChanges.Comparison;
import org.kernelrig.suite.CrashChanges.RunChange;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a suite of runs found, as {@code summary.json} holds it (schema in
 * docs/suite.md): every run of the board-by-scenario matrix with its outcome,
 * its crashes marked new or still there and with their known bug, the crashes
 * gone since the previous run, and the boards found broken.
 *
 * @param kernel       the kernel under test as the suite was told it, or null
 * @param boards       the matrix's rows, in order
 * @param scenarios    its columns, in order
 * @param comparedWith what the runs were compared with, in words
 */
// outcome, exitCode and counts are written for readers and worked out again when read.
@JsonIgnoreProperties(value = {"outcome", "exitCode", "counts"}, allowGetters = true)
public record SuiteReport(String suiteId, String rigVersion, Instant started, Instant ended, String kernel,
        List<String> boards, List<String> scenarios, String comparedWith, List<SuiteRun> runs,
        List<BrokenBoard> brokenBoards, List<String> warnings) {

    public SuiteReport {
        boards = List.copyOf(boards);
        scenarios = List.copyOf(scenarios);
        runs = List.copyOf(runs);
        brokenBoards = List.copyOf(brokenBoards);
        warnings = List.copyOf(warnings);
    }

    /** What a crash is compared with the previous run. */
    public enum Change {
        /** It was not in the previous run. */
        @JsonProperty("new") NEW,
        /** It was in the previous run too. */
        @JsonProperty("still") STILL,
        /** It was in the previous run and is not in this one. */
        @JsonProperty("gone") GONE
    }

    /**
     * One run of the suite.
     *
     * @param folder        its folder, relative to the suite's folder
     * @param debianBug     the scenario's Debian bug, or 0
     * @param kernelRelease the release the board ran, or null when it was never reached
     * @param previousRunId the run it was compared with, or null
     * @param crashes       its crashes, each marked new or still (no mark when not compared)
     * @param gone          crashes of the previous run that this one did not have
     */
    public record SuiteRun(String runId, String folder, String board, String scenario, int debianBug,
            String kernelRelease, Outcome outcome, String reason, Instant started, Duration took,
            Comparison comparison, String previousRunId, List<SuiteCrash> crashes, List<SuiteCrash> gone) {

        public SuiteRun {
            crashes = List.copyOf(crashes);
            gone = List.copyOf(gone);
        }
    }

    /**
     * A crash of a run, or one gone since the previous run.
     *
     * @param change new, still or gone; null when the run was not compared
     * @param known  the known bug it is, or null
     */
    public record SuiteCrash(String fingerprint, String kind, String title, String headline, Change change,
            KnownBug known) {
    }

    /**
     * A known crash as the report names it.
     *
     * @param name      the entry's name in known-crashes.yaml
     * @param debianBug the Debian bug number, or 0
     */
    public record KnownBug(String name, int debianBug, String note) {

        static KnownBug of(KnownCrash entry) {
            return new KnownBug(entry.name(), entry.debianBug(), entry.note());
        }
    }

    /**
     * A board the suite found broken, and why.
     *
     * @param runIds the runs that show it
     */
    public record BrokenBoard(String board, String why, List<String> runIds) {

        public BrokenBoard {
            runIds = List.copyOf(runIds);
        }
    }

    /** Figures for the summary line. */
    public record Counts(int runs, int pass, int fail, int error, int newCrashes, int goneCrashes, int knownCrashes,
            int brokenBoards) {
    }

    /**
     * The facts of a suite that its runs do not tell.
     *
     * @param kernel       the kernel under test, in words (a package, a release), or null
     * @param boards       the matrix's rows; empty: the boards of the runs, in order
     * @param scenarios    its columns; empty: the scenarios of the runs, in order
     * @param comparedWith what the runs were compared with, in words
     */
    public record Header(String suiteId, String rigVersion, Instant started, Instant ended, String kernel,
            List<String> boards, List<String> scenarios, String comparedWith) {
    }

    /**
     * Puts a suite's report together from its runs, their changes since the
     * previous runs ({@link CrashChanges#compare}) and the known crashes.
     *
     * @param warnings lines to show, such as {@link RunHistory#warnings()}
     */
    public static SuiteReport assemble(Header header, List<RunReport> runs, CrashChanges changes, KnownCrashes known,
            List<String> warnings) {
        Set<String> boards = new LinkedHashSet<>(header.boards() == null ? List.of() : header.boards());
        Set<String> scenarios = new LinkedHashSet<>(header.scenarios() == null ? List.of() : header.scenarios());
        List<SuiteRun> suiteRuns = new ArrayList<>();
        for (RunReport run : runs) {
            boards.add(run.board().name());
            scenarios.add(run.scenario().name());
            RunChange change = changes.of(run.runId()).orElse(null);
            Comparison comparison = change == null ? Comparison.FIRST_RUN : change.comparison();
            List<SuiteCrash> crashes = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (RunReport.CrashFinding finding : run.crashes()) {
                CrashRef ref = CrashRef.of(finding);
                if (!seen.add(ref.identity())) {
                    continue;
                }
                Change mark = comparison != Comparison.COMPARED ? null
                        : change.added().stream().anyMatch(a -> a.identity().equals(ref.identity())) ? Change.NEW
                        : Change.STILL;
                crashes.add(crash(ref, mark, known));
            }
            List<SuiteCrash> gone = change == null ? List.of()
                    : change.gone().stream().map(g -> crash(g, Change.GONE, known)).toList();
            suiteRuns.add(new SuiteRun(run.runId(), run.runId(), run.board().name(), run.scenario().name(),
                    run.scenario().debianBug(), run.kernel() == null ? null : run.kernel().release(), run.outcome(),
                    run.reason(), run.started(), run.took(), comparison,
                    change == null ? null : change.previousRunId(), crashes, gone));
        }
        return new SuiteReport(header.suiteId(), header.rigVersion(), header.started(), header.ended(),
                header.kernel(), List.copyOf(boards), List.copyOf(scenarios), header.comparedWith(), suiteRuns,
                BrokenBoards.find(runs), warnings == null ? List.of() : warnings);
    }

    private static SuiteCrash crash(CrashRef ref, Change change, KnownCrashes known) {
        return new SuiteCrash(ref.fingerprint(), ref.kind(), ref.title(), ref.headline(), change,
                known.match(ref).map(KnownBug::of).orElse(null));
    }

    /**
     * The suite's outcome: fail over error over pass, as {@link Outcome#worse}
     * has it; a suite that ran nothing is a lab error.
     */
    @JsonProperty("outcome")
    public Outcome outcome() {
        if (runs.isEmpty()) {
            return Outcome.ERROR;
        }
        return runs.stream().map(SuiteRun::outcome).reduce(Outcome.PASS, Outcome::worse);
    }

    /** 1 when any run failed, else 125 when any lab error, else 0. */
    @JsonProperty("exitCode")
    public int exitCode() {
        return outcome().exitCode();
    }

    /** The figures of the summary line. */
    @JsonProperty("counts")
    public Counts counts() {
        return new Counts(runs.size(), count(Outcome.PASS), count(Outcome.FAIL), count(Outcome.ERROR),
                (int) runs.stream().flatMap(r -> r.crashes().stream()).filter(c -> c.change() == Change.NEW).count(),
                runs.stream().mapToInt(r -> r.gone().size()).sum(),
                (int) runs.stream().flatMap(r -> r.crashes().stream()).filter(c -> c.known() != null).count(),
                brokenBoards.size());
    }

    private int count(Outcome outcome) {
        return (int) runs.stream().filter(r -> r.outcome() == outcome).count();
    }
}
