package org.kernelrig.suite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What changed since the previous run of each board and scenario: which
 * crashes are new, which are still there, which are gone. A pure function
 * of the reports it is given.
 */
public final class CrashChanges {

    /** How a run could be compared with the past. */
    public enum Comparison {
        /** An earlier run of the same board and scenario was found and compared. */
        @JsonProperty("compared") COMPARED,
        /** No earlier run of this board and scenario saw the kernel: nothing to compare with. */
        @JsonProperty("first-run") FIRST_RUN,
        /** This run never saw the kernel (a lab error before the capture): it says nothing about crashes. */
        @JsonProperty("not-observed") NOT_OBSERVED
    }

    /**
     * The changes of one run.
     *
     * @param previousRunId the run it was compared with, or null
     * @param added         crashes of this run that the previous one did not have
     * @param still         crashes of this run that the previous one had too
     * @param gone          crashes of the previous run that this one no longer has
     */
    public record RunChange(String runId, String board, String scenario, Comparison comparison, String previousRunId,
            List<CrashRef> added, List<CrashRef> still, List<CrashRef> gone) {

        public RunChange {
            added = List.copyOf(added);
            still = List.copyOf(still);
            gone = List.copyOf(gone);
        }
    }

    private final Map<String, RunChange> byRunId;

    private CrashChanges(Map<String, RunChange> byRunId) {
        this.byRunId = byRunId;
    }

    /**
     * Compares each current run with the latest of {@code previous} that has
     * the same board and scenario, started before it and saw the kernel.
     * {@code previous} may be a whole history, the current runs included:
     * a run is never compared with itself or with a later one.
     */
    public static CrashChanges compare(Collection<RunReport> previous, Collection<RunReport> current) {
        Map<String, RunChange> changes = new LinkedHashMap<>();
        for (RunReport run : current) {
            changes.put(run.runId(), change(latestBefore(previous, run), run));
        }
        return new CrashChanges(changes);
    }

    /**
     * Whether a run tells anything about the kernel's crashes: it passed or
     * failed, or it found a crash, or its capture phase completed. A run that
     * ended in a lab error before the capture saw no crash because it saw nothing.
     */
    public static boolean observedKernel(RunReport run) {
        return run.outcome() != Outcome.ERROR || !run.crashes().isEmpty()
                || run.phases().stream().anyMatch(p -> "capture".equals(p.name()) && "ok".equals(p.status()));
    }

    /** The latest run of the same board and scenario that started before {@code run} and saw the kernel. */
    static Optional<RunReport> latestBefore(Collection<RunReport> previous, RunReport run) {
        return previous.stream()
                .filter(p -> p.board().name().equals(run.board().name())
                        && p.scenario().name().equals(run.scenario().name())
                        && !p.runId().equals(run.runId())
                        && p.started().isBefore(run.started())
                        && observedKernel(p))
                .max(Comparator.comparing(RunReport::started).thenComparing(RunReport::runId));
    }

    private static RunChange change(Optional<RunReport> before, RunReport run) {
        String board = run.board().name();
        String scenario = run.scenario().name();
        String previousId = before.map(RunReport::runId).orElse(null);
        if (!observedKernel(run)) {
            return new RunChange(run.runId(), board, scenario, Comparison.NOT_OBSERVED, previousId, List.of(), List.of(),
                    List.of());
        }
        Map<String, CrashRef> now = crashes(run);
        if (before.isEmpty()) {
            return new RunChange(run.runId(), board, scenario, Comparison.FIRST_RUN, null, List.of(), List.of(),
                    List.of());
        }
        Map<String, CrashRef> then = crashes(before.get());
        List<CrashRef> added = new ArrayList<>();
        List<CrashRef> still = new ArrayList<>();
        now.forEach((identity, crash) -> (then.containsKey(identity) ? still : added).add(crash));
        List<CrashRef> gone = then.entrySet().stream().filter(e -> !now.containsKey(e.getKey()))
                .map(Map.Entry::getValue).toList();
        return new RunChange(run.runId(), board, scenario, Comparison.COMPARED, previousId, added, still, gone);
    }

    /** A run's crashes by identity, in the order they happened; the same crash twice counts once. */
    private static Map<String, CrashRef> crashes(RunReport run) {
        Map<String, CrashRef> crashes = new LinkedHashMap<>();
        run.crashes().forEach(c -> crashes.putIfAbsent(CrashRef.of(c).identity(), CrashRef.of(c)));
        return crashes;
    }

    /** The changes of one current run, by its id. */
    public Optional<RunChange> of(String runId) {
        return Optional.ofNullable(byRunId.get(runId));
    }

    public List<RunChange> all() {
        return List.copyOf(byRunId.values());
    }

    /** How many crashes appeared, over all runs. */
    public int newCount() {
        return byRunId.values().stream().mapToInt(c -> c.added().size()).sum();
    }

    /** How many crashes went away, over all runs. */
    public int goneCount() {
        return byRunId.values().stream().mapToInt(c -> c.gone().size()).sum();
    }
}
