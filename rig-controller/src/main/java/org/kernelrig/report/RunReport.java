package org.kernelrig.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

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
     * @param sourceFrames the crash site and the frames with their source lines, from the kernel's debug info;
     *                   empty when the crash was not symbolized
     * @param sourceNote why frames have no source line (no debug info, no addr2line, ...), or null
     */
    public record CrashFinding(String kind, String headline, String title, String guiltyFrame, String fingerprint, boolean panicked,
            boolean corrupted, boolean complete, List<String> frames, List<String> lines, Set<String> witnesses,
            int firstEntry, int lastEntry, List<SourceFrame> sourceFrames, String sourceNote) {

        public CrashFinding {
            frames = List.copyOf(frames);
            lines = List.copyOf(lines);
            witnesses = Set.copyOf(witnesses);
            sourceFrames = sourceFrames == null ? List.of() : List.copyOf(sourceFrames);
        }

        /** A crash not symbolized (yet). */
        public CrashFinding(String kind, String headline, String title, String guiltyFrame, String fingerprint,
                boolean panicked, boolean corrupted, boolean complete, List<String> frames, List<String> lines,
                Set<String> witnesses, int firstEntry, int lastEntry) {
            this(kind, headline, title, guiltyFrame, fingerprint, panicked, corrupted, complete, frames, lines, witnesses,
                    firstEntry, lastEntry, List.of(), null);
        }

        /** The same crash with its source lines. */
        public CrashFinding withSources(List<SourceFrame> sources, String note) {
            return new CrashFinding(kind, headline, title, guiltyFrame, fingerprint, panicked, corrupted, complete, frames,
                    lines, witnesses, firstEntry, lastEntry, sources, note);
        }
    }

    /**
     * A frame of a crash and where it is in the source.
     *
     * @param frame      the frame as the kernel printed it: {@code direct_write+0x8f/0xe7 [lkdtm]}
     * @param site       the instruction the CPU stopped at ({@code RIP:}, {@code pc :}), looked up at its own
     *                   address; the other frames are return addresses, looked up one byte before, at the call
     * @param function   the function of that line (an inlined one where the compiler inlined it), or null
     * @param file       the source file as the debug info names it, or null when not symbolized
     * @param line       the line in it, 0 when not symbolized
     * @param inlinedInto where that code was inlined, innermost first: {@code direct_write at lkdtm_lite.c:114}
     */
    public record SourceFrame(String frame, boolean site, String function, String file, int line,
            List<String> inlinedInto) {

        public SourceFrame {
            inlinedInto = inlinedInto == null ? List.of() : List.copyOf(inlinedInto);
        }

        /** {@code file:line}, or null when not symbolized; in report.json too, for readers that grep it. */
        @JsonProperty("location")
        public String location() {
            return file == null ? null : file + ":" + line;
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
