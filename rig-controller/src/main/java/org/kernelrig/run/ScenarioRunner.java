package org.kernelrig.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.kernelrig.LabException;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.board.BoardLock;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.NetconsoleSetup;
import org.kernelrig.patient.FactsScript;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSettings;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;
import org.kernelrig.report.RunResult;
import org.kernelrig.report.TimelineLog;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.symbols.CrashSymbolizer;
import org.kernelrig.symbols.DebugInfo;

/**
 * One crash test, start to report: lock the board, power it on and log in,
 * set netconsole up and prove it, start the serial capture, trigger, capture
 * until the trace is complete and the console quiet, bring the board back,
 * and write the report. Every phase has a time limit and is timed. Lab
 * failures end the run as an error, never as the kernel's failure; an
 * interrupt ends it as an error naming the phase, with the report written.
 */
public final class ScenarioRunner {

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /**
     * How to run.
     *
     * @param reports       the folder that gets one folder per run
     * @param acceptHostKey a host key fingerprint to accept once, or null
     * @param serial        read the serial console when the board has one
     * @param netconsole    set netconsole up; off only to test what happens without it
     * @param kernel        the kernel under test, booted (and on a board of the bench installed) before the
     *                      scenario; null to test the kernel the board runs
     * @param kcidb         how the run's kcidb.json is written (origin, links, the kernel's digest)
     */
    public record Options(Path reports, String acceptHostKey, boolean serial, boolean netconsole, RunListener listener,
            KernelUnderTest kernel, NetconsoleReceiver sharedReceiver, Duration waitForBoard, KcidbReport kcidb) {

        /** Options whose kcidb.json has the default origin and links the local files. */
        public Options(Path reports, String acceptHostKey, boolean serial, boolean netconsole, RunListener listener,
                KernelUnderTest kernel, NetconsoleReceiver sharedReceiver, Duration waitForBoard) {
            this(reports, acceptHostKey, serial, netconsole, listener, kernel, sharedReceiver, waitForBoard,
                    KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, null));
        }

        public static Options defaults(Path reports) {
            return new Options(reports, null, true, true, RunListener.SILENT, null, null, Duration.ZERO);
        }

        /** The same options with the doctor of a suite, already listening, serving every board. */
        public Options withSharedReceiver(NetconsoleReceiver receiver) {
            return new Options(reports, acceptHostKey, serial, netconsole, listener, kernel, receiver, waitForBoard,
                    kcidb);
        }

        public Options withReports(Path folder) {
            return new Options(folder, acceptHostKey, serial, netconsole, listener, kernel, sharedReceiver, waitForBoard,
                    kcidb);
        }

        /** The same options with another way of writing kcidb.json. */
        public Options withKcidb(KcidbReport writer) {
            return new Options(reports, acceptHostKey, serial, netconsole, listener, kernel, sharedReceiver, waitForBoard,
                    writer);
        }
    }

    /** What a run left: its report and where the files are. */
    public record Result(RunReport report, Path folder) {
    }

    private final Scenario scenario;
    private final Board board;
    private final Options options;
    private final String version;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread runner;
    private volatile boolean interrupted;

    public ScenarioRunner(Scenario scenario, Board board, Options options, String version) {
        this.scenario = scenario;
        this.board = board;
        this.options = options;
        this.version = version;
    }

    /** Stops the run from another thread (Ctrl-C); returns once its report is written, or after {@code wait}. */
    public void interrupt(Duration wait) throws InterruptedException {
        interrupted = true;
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
        finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the scenario; lab failures are in the result, not thrown. */
    public Result run() throws IOException {
        runner = Thread.currentThread();
        try {
            return new Run().execute();
        } finally {
            finished.countDown();
        }
    }

    /** The state of one run, so that the phases read as a story. */
    private final class Run {
        final Instant started = Instant.now();
        final String runId = RUN_ID_TIME.format(started) + "-" + scenario.name() + "-" + board.name();
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

        Run() throws IOException {
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

        Result execute() throws IOException {
            log.write("rig " + version + ": scenario " + scenario.name() + " (" + scenario.file() + ") on board "
                    + board.name());
            KernelUnderTestBoot kernelBoot = null;
            try {
                phases.begin(Phase.LOCK);
                lock = BoardLock.acquire(BoardLock.directory(), board.name(), options.waitForBoard(),
                        BoardLock.DEFAULT_TTL, this::warn);
                lifecycle = BoardLifecycle.open(board, options.kernel(), log::note, log::write);
                phases.ok(null);

                phases.begin(Phase.POWER_ON);
                phases.ok(lifecycle.switchOnIfOff());
                checkInterrupt();

                phases.begin(Phase.SERIAL);
                Optional<String> noSerial = options.serial() ? witnesses.startSerial(lifecycle.lab())
                        : Optional.of("turned off for this run");
                ending(noSerial, witnesses::serialDescription);

                if (options.kernel() != null) {
                    phases.begin(Phase.KERNEL);
                    kernelBoot = new KernelUnderTestBoot(lifecycle, options.kernel(), witnesses, log);
                    phases.ok(kernelBoot.boot(lifecycle.switchedOn(), options.acceptHostKey(),
                            scenario.limits().boot(), board.power().offTime(), this::warn));
                }

                phases.begin(Phase.CONNECT);
                connect();
                phases.ok(facts.release());

                phases.begin(Phase.NETCONSOLE);
                ending(options.netconsole() ? Optional.empty() : Optional.of("turned off for this run"),
                        () -> witnesses.startNetconsole(lifecycle, facts, options.sharedReceiver(),
                                scenario.limits().netconsoleHandshake(), this::warn, log));

                phases.begin(Phase.TRIGGER);
                phases.ok(capture.trigger(lifecycle.shell()));

                phases.begin(Phase.CAPTURE);
                String captured = capture.capture(lifecycle, this::warn);
                crashes = capture.crashes();
                verdict = Verdict.judge(scenario, crashes);
                phases.ok(captured);
                capture.warnOfLoss(this::warn);
                log.write("verdict: " + verdict.outcome() + ": " + verdict.reason());
                writeInterimReport();

                phases.begin(Phase.RECOVER);
                recover();

                String skipPstore = witnesses.pstore.reasonToSkip(recovery);
                if (skipPstore == null) {
                    phases.begin(Phase.PSTORE);
                    phases.ok(collectPstore());
                }
            } catch (KernelUnderTestBoot.KernelDidNotBoot e) {
                crashes = kernelBoot.crashes();
                end.kernelFailed(e.getMessage());
            } catch (LabException e) {
                end.labError(e, interrupted);
            } catch (InterruptedException e) {
                end.interrupted();
            } catch (RuntimeException e) {
                end.labError(new LabException("rig failed: " + e, "please report this with run.log", e), interrupted);
            }
            return finish();
        }

        /** Ends the phase under way as skipped for {@code skip}'s reason, else as ok with what {@code detail} says. */
        void ending(Optional<String> skip, PhaseDetail detail) throws LabException, InterruptedException {
            if (skip.isPresent()) {
                phases.fail("skipped", skip.get());
            } else {
                phases.ok(detail.get());
            }
        }

        void connect() throws LabException, InterruptedException {
            SshPatient shell = lifecycle.login(options.acceptHostKey(), scenario.limits().boot());
            facts = FactsScript.collect(shell, lifecycle.lab().doctorAddress(null), board.netconsole().interfaceName(),
                    FactsScript.ADDRESS_WAIT);
            witnesses.pstore.setAsideEarlierRecords(shell, lifecycle.learnBoot());
            log.write("kernel " + facts.release() + " " + facts.version() + " (" + facts.machine() + ")");
            ExpectedKernel.check(scenario, board, options.kernel(), facts);
            lifecycle.booted(facts.release());
        }

        void recover() throws LabException, InterruptedException {
            boolean panicked = crashes.stream().anyMatch(Crash::panicked);
            boolean alive = !panicked && lifecycle.answers();
            if (crashes.isEmpty() && alive) {
                new NetconsoleSetup(lifecycle.shell()).remove(witnesses.activeNetconsole());
                lifecycle.netconsoleRemoved();
                recovery = new RunReport.Recovery("none", true, Duration.ZERO, "the board survived; netconsole removed");
                phases.ok("board survived");
                return;
            }
            BoardLifecycle.Recovery back = lifecycle.recover(panicked, alive, scenario.limits().boot(),
                    board.power().offTime(), this::warn);
            recovery = new RunReport.Recovery(back.method(), back.back(), back.took(), back.detail());
            if (back.failure() != null) {
                throw back.failure();
            }
            phases.ok(String.format(Locale.ROOT, "%s, back after %.1f s", back.method(),
                    back.took().toMillis() / 1000.0));
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

        void checkInterrupt() throws InterruptedException {
            if (interrupted || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
        }

        void warn(String message) {
            warnings.add(message);
            log.note("warning: " + message);
        }

        /** Flushes the captures, leaves the board as the scenario says, writes the report. */
        Result finish() throws IOException {
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
            return new Result(report, folder.directory());
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
    }

    /** What a phase says when it ends well, found once its work is done. */
    @FunctionalInterface
    private interface PhaseDetail {
        String get() throws LabException, InterruptedException;
    }
}
