package org.kernelrig.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one run found, as {@code report.json} holds it; the schema is
 * documented in docs/report.md.
 *
 * @param interruptedPhase the phase a Ctrl-C or SIGTERM stopped, or null
 */
public record RunReport(String runId, String rigVersion, ScenarioInfo scenario, BoardInfo board, KernelInfo kernel,
        Instant started, Instant ended, List<PhaseRecord> phases, Outcome outcome, String reason,
        String interruptedPhase, List<CrashFinding> crashes, WitnessStats netconsole, WitnessStats serial,
        WitnessStats pstore, Recovery recovery, List<String> warnings) {

    public RunReport {
        phases = List.copyOf(phases);
        crashes = List.copyOf(crashes);
        warnings = List.copyOf(warnings);
        if (pstore == null) {
            pstore = WitnessStats.disabled("not collected");
        }
    }

    public Duration took() {
        return Duration.between(started, ended);
    }

    /** The scenario as the report shows it. */
    public record ScenarioInfo(String name, String file, String description, int debianBug, String trigger,
            String expectation) {
    }

    /** The board as the report shows it. */
    public record BoardInfo(String name, String kind, String address, String power) {
    }

    /** The kernel under test, as the board reported it (null fields when it was never reached). */
    public record KernelInfo(String release, String version, String machine, String hardware) {
    }

    /**
     * One phase of a run.
     *
     * @param status {@code ok}, {@code failed}, {@code interrupted} or {@code skipped}
     */
    public record PhaseRecord(String name, Instant started, Duration took, String status, String detail) {
    }

    /**
     * A crash found in the merged console.
     *
     * @param headline   the crash's first line as the kernel printed it ({@code Kernel panic - not syncing: ...})
     * @param title      its title in syzkaller's conventions, for comparing with other reports
     * @param lines      the crash's lines verbatim, as the timeline holds them
     * @param witnesses  which sources carried its lines: {@code netconsole}, {@code serial}, {@code pstore}
     * @param firstEntry the timeline entry where it starts, from 1
     */
    public record CrashFinding(String kind, String headline, String title, String guiltyFrame, String fingerprint, boolean panicked,
            boolean corrupted, boolean complete, List<String> frames, List<String> lines, Set<String> witnesses,
            int firstEntry, int lastEntry) {

        public CrashFinding {
            frames = List.copyOf(frames);
            lines = List.copyOf(lines);
            witnesses = Set.copyOf(witnesses);
        }
    }

    /**
     * What one witness delivered.
     *
     * @param counters the witness's own figures (datagrams, gaps, foreign senders, reopenings, ...)
     */
    public record WitnessStats(boolean enabled, long lines, Map<String, Long> counters, String note) {

        public WitnessStats {
            counters = Map.copyOf(counters);
        }

        public static WitnessStats disabled(String why) {
            return new WitnessStats(false, 0, Map.of(), why);
        }
    }

    /**
     * How the board was brought back.
     *
     * @param method {@code power-cycle}, {@code reset}, {@code kernel-reboot} or {@code none}
     */
    public record Recovery(String method, boolean boardBack, Duration took, String detail) {
    }
}
