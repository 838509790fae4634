package org.kernelrig.run;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.board.BoardLock;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.inventory.Board;
import org.kernelrig.netconsole.NetconsoleSetup;
import org.kernelrig.patient.FactsScript;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;
import org.kernelrig.report.RunResult;
import org.kernelrig.report.TimelineLog;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.symbols.CrashSymbolizer;
import org.kernelrig.symbols.DebugInfo;

/**
 * The state of one run and the steps of its phases, which {@link ScenarioRunner} calls in order: its
 * report folder, run.log and phases, the board's lifecycle, the witnesses, the crashes and the verdict.
 */
final class ScenarioRun {

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    final Scenario scenario;
    final Board board;
    final ScenarioRunner.Options options;
    final String version;
    final Instant started = Instant.now();
    final String runId;
    final ReportFolder folder;
    final RunLog log;
    final RunPhases phases;
    final List<String> warnings = new ArrayList<>();
    final Witnesses witnesses;
    final CrashCapture capture;
    BoardLock lock;
    BoardLifecycle lifecycle;
    PatientFacts facts;
    List<Crash> crashes = List.of();
    Verdict verdict;
    RunReport.Recovery recovery;
    final RunEnd end;
    KernelUnderTestBoot kernelBoot;

    ScenarioRun(Scenario scenario, Board board, ScenarioRunner.Options options, String version) throws IOException {
        this.scenario = scenario;
        this.board = board;
        this.options = options;
        this.version = version;
        runId = RUN_ID_TIME.format(started) + "-" + scenario.name() + "-" + board.name();
        folder = new ReportFolder(options.reports().resolve(uniqueId()), options.kcidb());
        log = new RunLog(folder.file("run.log"), options.listener());
        phases = new RunPhases(options.listener(), log);
        end = new RunEnd(phases, log);
        witnesses = new Witnesses(board, folder, options.listener(), log, this::warn);
        capture = new CrashCapture(scenario, board, witnesses, runId);
    }

    private String uniqueId() {
        String id = runId;
        for (int n = 2; Files.exists(options.reports().resolve(id)); n++) {
            id = runId + "-" + n;
        }
        return id;
    }

    /** Takes the board's lock (waiting for another run as the options say) and opens its lifecycle. */
    String lockBoard() throws LabException, InterruptedException {
        lock = BoardLock.acquire(BoardLock.directory(), board.name(), options.waitForBoard(), BoardLock.DEFAULT_TTL,
                this::warn);
        lifecycle = BoardLifecycle.open(board, options.kernel(), log::note, log::write);
        return null;
    }

    /** Starts reading the serial console and ends the phase: skipped without one. */
    void startSerial() throws LabException, InterruptedException {
        Optional<String> noSerial = options.serial() ? witnesses.startSerial(lifecycle.lab())
                : Optional.of("turned off for this run");
        ending(noSerial, witnesses::serialDescription);
    }

    String bootKernelUnderTest() throws LabException, InterruptedException, KernelUnderTestBoot.KernelDidNotBoot {
        kernelBoot = new KernelUnderTestBoot(lifecycle, options.kernel(), witnesses, log);
        return kernelBoot.boot(lifecycle.switchedOn(), options.acceptHostKey(), scenario.limits().boot(),
                board.power().offTime(), this::warn);
    }

    /** Sets netconsole up on the board and proves it, and ends the phase: skipped when turned off. */
    void startNetconsole() throws LabException, InterruptedException {
        ending(options.netconsole() ? Optional.empty() : Optional.of("turned off for this run"),
                () -> witnesses.startNetconsole(lifecycle, facts, options.sharedReceiver(),
                        scenario.limits().netconsoleHandshake(), this::warn, log));
    }

    String trigger() throws LabException, InterruptedException {
        return capture.trigger(lifecycle.shell());
    }

    /** Captures until the trace is complete and the console quiet; judges what was found. */
    String capture() throws LabException, InterruptedException {
        String captured = capture.capture(lifecycle, this::warn);
        crashes = capture.crashes();
        verdict = Verdict.judge(scenario, crashes);
        return captured;
    }

    /** The verdict in run.log and on disk at once, before the board is brought back. */
    void judgeCapture() {
        capture.warnOfLoss(this::warn);
        log.write("verdict: " + verdict.outcome() + ": " + verdict.reason());
        writeInterimReport();
    }

    boolean pstoreToCollect() {
        return witnesses.pstore.reasonToSkip(recovery) == null;
    }

    void kernelDidNotBoot(KernelUnderTestBoot.KernelDidNotBoot e) {
        crashes = kernelBoot.crashes();
        end.kernelFailed(e.getMessage());
    }

    /** Ends the phase under way as skipped for {@code skip}'s reason, else as ok with what {@code detail} says. */
    void ending(Optional<String> skip, PhaseDetail detail) throws LabException, InterruptedException {
        if (skip.isPresent()) {
            phases.fail("skipped", skip.get());
        } else {
            phases.ok(detail.get());
        }
    }

    /** Logs in, learns the board's facts and checks its kernel; says which release it runs. */
    String connect() throws LabException, InterruptedException {
        SshPatient shell = lifecycle.login(options.acceptHostKey(), scenario.limits().boot());
        facts = FactsScript.collect(shell, lifecycle.lab().doctorAddress(null), board.netconsole().interfaceName(),
                FactsScript.ADDRESS_WAIT);
        witnesses.pstore.setAsideEarlierRecords(shell, lifecycle.learnBoot());
        log.write("kernel " + facts.release() + " " + facts.version() + " (" + facts.machine() + ")");
        ExpectedKernel.check(scenario, board, options.kernel(), facts);
        lifecycle.booted(facts.release());
        return facts.release();
    }

    /** Brings the board back (or removes netconsole from a board that survived); says how. */
    String recover() throws LabException, InterruptedException {
        boolean panicked = crashes.stream().anyMatch(Crash::panicked);
        boolean alive = !panicked && lifecycle.answers();
        if (crashes.isEmpty() && alive) {
            new NetconsoleSetup(lifecycle.shell()).remove(witnesses.activeNetconsole());
            lifecycle.netconsoleRemoved();
            recovery = new RunReport.Recovery("none", true, Duration.ZERO, "the board survived; netconsole removed");
            return "board survived";
        }
        BoardLifecycle.Recovery back = lifecycle.recover(panicked, alive, scenario.limits().boot(),
                board.power().offTime(), this::warn);
        recovery = new RunReport.Recovery(back.method(), back.back(), back.took(), back.detail());
        if (back.failure() != null) {
            throw back.failure();
        }
        return String.format(Locale.ROOT, "%s, back after %.1f s", back.method(), back.took().toMillis() / 1000.0);
    }

    /** Pstore merged into the timeline as a third witness, and the verdict made again on the merged console. */
    String collectPstore() throws LabException {
        PstoreWitness.Merged merged = witnesses.pstore.collect(lifecycle.shell(), "rig: " + capture.startMarker());
        crashes = capture.crashesOnMergedConsole();
        verdict = Verdict.judge(scenario, crashes);
        List<TimelineEntry> entries = witnesses.timeline.entries();
        log.write("verdict on the merged console: " + verdict.outcome() + ": " + verdict.reason());
        return merged.describe(crashes.stream().filter(c -> MergedAnalysis.onlyRecovered(entries, c)).count());
    }

    /** The verdict on disk at once; the report is written again once the board is back. */
    void writeInterimReport() {
        try {
            RunResult result = result(verdict.outcome(), verdict.reason());
            folder.write(report(result), result.console());
            if (capture.lastTraceLine() != null) {
                log.write(String.format(Locale.ROOT, "report written %.3f s after the last trace line arrived",
                        Duration.between(capture.lastTraceLine(), Instant.now()).toMillis() / 1000.0));
            }
        } catch (IOException e) {
            warn("cannot write the report before the recovery: " + e.getMessage());
        }
    }

    void warn(String message) {
        warnings.add(message);
        log.note("warning: " + message);
    }

    /** Flushes the captures, leaves the board as the scenario says, writes the report. */
    ScenarioRunner.Result finish() throws IOException {
        witnesses.stop();
        leaveBoard();
        end.judged(verdict, witnesses.lostBeforeRead(), recovery);
        RunResult result = result(end.outcome(), end.reason());
        TimelineLog.write(folder.file("timeline.log"), started, result.console());
        Instant writing = Instant.now();
        RunReport report = report(result);
        folder.write(report, result.console());
        log.write(String.format(Locale.ROOT, "reports written in %d ms", Duration.between(writing, Instant.now())
                .toMillis()));
        log.write(end.outcome() + ": " + end.reason().lines().findFirst().orElse("") + " (report: " + folder.directory() + ")");
        if (lifecycle != null) {
            lifecycle.farewell(scenario.leaveBoardOn()).ifPresent(log::note);
            lifecycle.close();
        }
        if (lock != null) {
            lock.close();
        }
        log.close();
        return new ScenarioRunner.Result(report, folder.directory());
    }

    void leaveBoard() {
        if (lifecycle == null) {
            return;
        }
        try {
            Optional<String> left = lifecycle.leave(scenario.leaveBoardOn(), end.interruptedPhase() == Phase.RECOVER);
            left.ifPresent(log::write);
            if (left.isEmpty() && end.interruptedPhase() != null) {
                witnesses.removeNetconsole(lifecycle.shell());
            }
        } catch (LabException e) {
            warn("could not leave the board " + (scenario.leaveBoardOn() ? "on" : "off") + ": " + e.getMessage());
        }
    }

    /** The report of {@code result} as of now, its frames with source lines from the kernel's debug info. */
    RunReport report(RunResult result) {
        return CrashSymbolizer.addTo(result.report(Instant.now()), crashes,
                lifecycle == null ? DebugInfo.NONE : lifecycle.lab().debugInfo(),
                facts == null ? null : facts.release());
    }

    RunResult result(Outcome outcome, String reason) {
        RunReport.KernelInfo kernel = facts == null ? null
                : new RunReport.KernelInfo(facts.release(), facts.version(), facts.machine(), null);
        return new RunResult(folder.directory().getFileName().toString(), version,
                new RunReport.ScenarioInfo(scenario.name(), String.valueOf(scenario.file()), scenario.description(),
                        scenario.debianBug(), TriggerScript.describe(scenario.trigger()), scenario.expect().describe()),
                new RunReport.BoardInfo(board.name(), board.kind(), board.address(), board.power().describe()),
                kernel, started, phases.records(), outcome, reason,
                end.interruptedPhase() == null ? null : end.interruptedPhase().id(), crashes, witnesses.timeline.entries(),
                witnesses.netconsoleStats(options.netconsole()), witnesses.serialStats(options.serial()),
                witnesses.pstore.stats(), recovery, warnings);
    }

    /** What a phase says when it ends well, found once its work is done. */
    @FunctionalInterface
    interface PhaseDetail {
        String get() throws LabException, InterruptedException;
    }
}
