package org.kernelrig.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.StackFrame;

/**
 * What one run found, as the run knows it: the crashes as the analyzer
 * gave them, the merged console they are in, and how each phase and
 * witness did. {@link #report} makes the report of it, quoting the console.
 *
 * @param kernel     the kernel the board ran, its hardware still unknown; null when the run never logged in
 * @param crashes    the crashes of this run, their lines numbered as the entries of {@code console}
 * @param console    the merged console (timeline) of the whole run
 */
public record RunResult(String runId, String rigVersion, RunReport.ScenarioInfo scenario, RunReport.BoardInfo board,
        RunReport.KernelInfo kernel, Instant started, List<RunReport.PhaseRecord> phases, Outcome outcome,
        String reason, String interruptedPhase, List<Crash> crashes, List<TimelineEntry> console,
        RunReport.WitnessStats netconsole, RunReport.WitnessStats serial, RunReport.WitnessStats pstore,
        RunReport.Recovery recovery, List<String> warnings) {

    /** The report as of {@code ended}. */
    public RunReport report(Instant ended) {
        List<RunReport.CrashFinding> findings = new ArrayList<>();
        for (Crash crash : crashes) {
            findings.add(finding(crash));
        }
        String hardware = crashes.stream().map(Crash::hardware).filter(Objects::nonNull).findFirst().orElse(null);
        RunReport.KernelInfo withHardware = kernel == null ? null
                : new RunReport.KernelInfo(kernel.release(), kernel.version(), kernel.machine(), hardware);
        return new RunReport(runId, rigVersion, scenario, board, withHardware, started, ended, phases, outcome, reason,
                interruptedPhase, findings, netconsole, serial, pstore, recovery, warnings);
    }

    private RunReport.CrashFinding finding(Crash crash) {
        Set<String> witnesses = new TreeSet<>();
        EnumSet<ConsoleLine.Source> sources = EnumSet.noneOf(ConsoleLine.Source.class);
        for (int i = crash.firstLine(); i <= crash.lastLine() && i <= console.size(); i++) {
            sources.addAll(console.get(i - 1).seenOn());
        }
        sources.forEach(s -> witnesses.add(s.name().toLowerCase(Locale.ROOT)));
        // Verbatim from the timeline: a report quotes the kernel, "? " frames and all.
        List<String> lines = console.subList(Math.min(crash.firstLine(), console.size() + 1) - 1,
                Math.min(crash.lastLine(), console.size())).stream().filter(e -> !e.gap())
                .map(TimelineEntry::text).toList();
        String headline = lines.isEmpty() ? crash.title() : lines.get(0);
        return new RunReport.CrashFinding(crash.kind().id(), headline, crash.title(), crash.guiltyFrame(),
                crash.fingerprint(), crash.panicked(), crash.corrupted(), crash.complete(),
                crash.frames().stream().map(StackFrame::function).toList(), lines, witnesses,
                crash.firstLine(), crash.lastLine());
    }
}
