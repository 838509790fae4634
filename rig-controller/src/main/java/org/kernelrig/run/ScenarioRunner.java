package org.kernelrig.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSettings;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;

/**
 * One crash test, start to report: lock the board, power it on and log in,
 * set netconsole up and prove it, start the serial capture, trigger, capture
 * until the trace is complete and the console quiet, bring the board back,
 * and write the report. Every phase has a time limit and is timed. Lab
 * failures end the run as an error, never as the kernel's failure; an
 * interrupt ends it as an error naming the phase, with the report written.
 */
public final class ScenarioRunner {

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
            ScenarioRun run = new ScenarioRun(scenario, board, options, version);
            execute(run);
            return run.finish();
        } finally {
            finished.countDown();
        }
    }

    /** The phases in order; a failure ends them, and the run's end says how. */
    private void execute(ScenarioRun run) {
        RunPhases phases = run.phases;
        run.log.write("rig " + version + ": scenario " + scenario.name() + " (" + scenario.file() + ") on board "
                + board.name());
        try {
            phases.begin(Phase.LOCK);
            phases.ok(run.lockBoard());

            phases.begin(Phase.POWER_ON);
            phases.ok(run.lifecycle.switchOnIfOff());
            checkInterrupt();

            phases.begin(Phase.SERIAL);
            run.startSerial();

            if (options.kernel() != null) {
                phases.begin(Phase.KERNEL);
                phases.ok(run.bootKernelUnderTest());
            }

            phases.begin(Phase.CONNECT);
            phases.ok(run.connect());

            phases.begin(Phase.NETCONSOLE);
            run.startNetconsole();

            phases.begin(Phase.TRIGGER);
            phases.ok(run.trigger());

            phases.begin(Phase.CAPTURE);
            phases.ok(run.capture());
            run.judgeCapture();

            phases.begin(Phase.RECOVER);
            phases.ok(run.recover());

            if (run.pstoreToCollect()) {
                phases.begin(Phase.PSTORE);
                phases.ok(run.collectPstore());
            }
        } catch (KernelUnderTestBoot.KernelDidNotBoot e) {
            run.kernelDidNotBoot(e);
        } catch (LabException e) {
            run.end.labError(e, interrupted);
        } catch (InterruptedException e) {
            run.end.interrupted();
        } catch (RuntimeException e) {
            run.end.labError(new LabException("rig failed: " + e, "please report this with run.log", e), interrupted);
        }
    }

    private void checkInterrupt() throws InterruptedException {
        if (interrupted || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }
}
