package org.kernelrig.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.kernelrig.LabException;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.Timeline;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.StackFrame;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.netconsole.ActiveNetconsole;
import org.kernelrig.netconsole.NetconsolePlan;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.NetconsoleSetup;
import org.kernelrig.netconsole.ReceiverSettings;
import org.kernelrig.netconsole.ReceiverWarmUp;
import org.kernelrig.patient.CommandResult;
import org.kernelrig.patient.FactsScript;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.pstore.PstoreCollection;
import org.kernelrig.pstore.PstoreCollector;
import org.kernelrig.pstore.PstoreFacts;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSettings;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.serial.SerialConsole;
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
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

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

    /** The kernel under test did not come up: the kernel's failure, not the lab's. */
    private static final class KernelDidNotBoot extends Exception {
        KernelDidNotBoot(KernelUnderTest kernel, String why) {
            super("kernel " + kernel.describe() + " did not boot: " + why);
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
        finished.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
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
        final Timeline timeline = new Timeline();
        final List<String> warnings = new ArrayList<>();
        final AtomicLong netconsoleLines = new AtomicLong();
        final AtomicLong serialLines = new AtomicLong();
        BoardLock lock;
        LabBoard lab;
        SshPatient patient;
        PatientFacts facts;
        NetconsoleReceiver receiver;
        /** The doctor socket's count of datagrams the kernel dropped, when this run began to use it. */
        long kernelDropsAtStart = -1;
        String patientAddress;
        volatile boolean listening = true;
        LineCopy ownLog;
        ActiveNetconsole active;
        SerialConsole serial;
        CaptureWatch watch;
        int triggerEntry = Integer.MAX_VALUE;
        List<Crash> crashes = List.of();
        Verdict verdict;
        RunReport.Recovery recovery;
        Outcome outcome;
        String reason;
        String interruptedPhase;
        Instant lastTraceLine;
        boolean switchedOn;
        BootState bootState = BootState.UNKNOWN;
        RunReport.WitnessStats pstoreStats = RunReport.WitnessStats.disabled("not collected");
        Set<String> earlierRecords = Set.of();
        int captureEnd;

        Run() throws IOException {
            folder = new ReportFolder(options.reports().resolve(uniqueId()), options.kcidb());
            log = new RunLog(folder.file("run.log"), options.listener());
            phases = new RunPhases(options.listener(), log);
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
            try {
                lockAndPowerOn();
                startSerial();
                bootKernelUnderTest();
                connect();
                startNetconsole();
                trigger();
                capture();
                recover();
                collectPstore();
            } catch (KernelDidNotBoot e) {
                outcome = Outcome.FAIL;
                reason = e.getMessage();
                phases.fail("failed", e.getMessage());
                log.write("fail in phase kernel: " + reason);
            } catch (LabException e) {
                failed(e);
            } catch (InterruptedException e) {
                markInterrupted();
            } catch (RuntimeException e) {
                failed(new LabException("rig failed: " + e, "please report this with run.log", e));
            }
            return finish();
        }

        void lockAndPowerOn() throws LabException, InterruptedException {
            phases.begin("lock");
            lock = BoardLock.acquire(BoardLock.directory(), board.name(), options.waitForBoard(), BoardLock.DEFAULT_TTL,
                    this::warn);
            lab = LabBoards.open(board, options.kernel(), log::note);
            phases.ok(null);

            phases.begin("power-on");
            lab.prepare();
            Optional<PowerSwitch.State> state = lab.power().state();
            if (state.isPresent() && state.get() == PowerSwitch.State.OFF) {
                lab.power().on();
                switchedOn = true;
                phases.ok("switched on with " + lab.power().describe());
            } else {
                phases.ok(state.isPresent() ? "already on" : "state unknown; assumed on");
            }
            checkInterrupt();
        }

        /**
         * Makes the board run the kernel under test: a virtual board boots it
         * when powered on, a board of the bench gets the package installed and
         * reboots. A kernel that does not come up is the kernel's failure,
         * shown by the console captured during its boot.
         */
        void bootKernelUnderTest() throws LabException, InterruptedException, KernelDidNotBoot {
            KernelUnderTest kernel = options.kernel();
            if (kernel == null) {
                return;
            }
            phases.begin("kernel");
            Instant start = Instant.now();
            watch = new CaptureWatch(timeline, null);
            int bootEntry = timeline.size();
            String oldBoot = null;
            try {
                // A virtual board switched on by this run is booting the kernel under test already.
                if (!(board.isVirtual() && switchedOn)) {
                    try (SshPatient running = SshWait.connect(lab, options.acceptHostKey(), scenario.limits().boot(),
                            log)) {
                        String mismatch = mismatchOn(running, kernel);
                        if (mismatch == null) {
                            phases.ok("already running " + kernel.release());
                            return;
                        }
                        log.write("the board does not run the kernel under test: " + mismatch);
                        oldBoot = KernelInstall.bootId(running);
                        if (!board.isVirtual()) {
                            log.write("installed " + kernel.describe() + "; next boot: "
                                    + KernelInstall.install(running, kernel));
                            KernelInstall.reboot(running);
                        }
                    }
                    if (board.isVirtual()) {
                        lab.power().cycle(board.power().offTime());
                    }
                    bootEntry = timeline.size();
                }
                int since = bootEntry;
                SshPatient booted;
                try {
                    booted = awaitNewBoot(scenario.limits().boot(), oldBoot, options.acceptHostKey(),
                            () -> panicSince(since));
                } catch (LabException e) {
                    crashes = crashesSince(since);
                    String panic = panicSince(since);
                    throw new KernelDidNotBoot(kernel, panic != null ? panic
                            : "the board did not answer within " + scenario.limits().boot().toSeconds()
                                    + " s (limits.boot); see its console");
                }
                String mismatch;
                try (booted) {
                    mismatch = mismatchOn(booted, kernel);
                }
                List<Crash> atBoot = crashesSince(since);
                if (mismatch != null && !atBoot.isEmpty()) {
                    crashes = atBoot;
                    throw new KernelDidNotBoot(kernel, "the board came back with another kernel after a crash during "
                            + "the boot: " + atBoot.get(0).title());
                }
                if (mismatch != null) {
                    throw new LabException("board " + board.name() + " booted, but not the kernel under test: "
                            + mismatch, "make its boot loader boot the newly installed kernel");
                }
                atBoot.forEach(c -> warn("the kernel under test crashed while booting: " + c.title()));
            } finally {
                watch.stop();
            }
            phases.ok(String.format(Locale.ROOT, "booted %s in %.1f s", kernel.release(),
                    Duration.between(start, Instant.now()).toMillis() / 1000.0));
        }

        List<Crash> crashesSince(int entry) {
            return watch.crashes().stream().filter(c -> c.firstLine() > entry).toList();
        }

        /**
         * What the console showed since {@code entry} that no boot survives: a
         * panic, or the boot stub halting (a kernel that cannot unpack itself); else null.
         */
        String panicSince(int entry) {
            String panic = watch.crashes().stream().filter(c -> c.firstLine() > entry && c.panicked())
                    .map(Crash::title).findFirst().orElse(null);
            if (panic != null) {
                return panic;
            }
            List<TimelineEntry> entries = timeline.entries();
            for (int i = entries.size() - 1; i >= entry; i--) {
                if (entries.get(i).text().contains("-- System halted")) {
                    for (int j = i - 1; j >= Math.max(entry, i - 4); j--) {
                        if (!entries.get(j).text().isBlank()) {
                            return "the boot stub halted: " + entries.get(j).text().strip();
                        }
                    }
                    return "the boot stub halted";
                }
            }
            return null;
        }

        /** Why the board does not run {@code kernel}, asked in one round trip; null when it does. */
        String mismatchOn(SshPatient on, KernelUnderTest kernel) throws LabException {
            String[] uname = on.run("uname -r; uname -v", COMMAND_LIMIT).output().strip().split("\n", 2);
            return kernel.mismatch(uname[0].strip(), uname.length > 1 ? uname[1].strip() : "");
        }

        void connect() throws LabException, InterruptedException {
            phases.begin("connect");
            patient = SshWait.connect(lab, options.acceptHostKey(), scenario.limits().boot(), log);
            String doctor = lab.doctorAddress(null);
            facts = FactsScript.collect(patient, doctor, board.netconsole().interfaceName(), FactsScript.ADDRESS_WAIT);
            bootState = BootState.read(patient);
            setAsideEarlierRecords();
            log.write("kernel " + facts.release() + " " + facts.version() + " (" + facts.machine() + ")");
            checkKernel(facts);
            if (options.kernel() != null) {
                String mismatch = options.kernel().mismatch(facts.release(), facts.version());
                if (mismatch != null) {
                    throw new LabException("board " + board.name() + " does not run the kernel under test: " + mismatch);
                }
            }
            phases.ok(facts.release());
        }

        void startNetconsole() throws LabException, InterruptedException {
            phases.begin("netconsole");
            if (!options.netconsole()) {
                phases.fail("skipped", "turned off for this run");
                return;
            }
            String doctor = lab.doctorAddress(facts);
            patientAddress = lab.patientAddress(facts);
            if (options.sharedReceiver() != null) {
                // The suite's doctor wrote each line to its own log first; this run keeps a copy of its lines.
                receiver = options.sharedReceiver();
                ownLog = new LineCopy(folder.file("netconsole.log"));
            } else {
                ReceiverSettings settings = receiverSettings();
                ReceiverWarmUp.once(settings);
                receiver = new NetconsoleReceiver(settings);
                receiver.start();
            }
            kernelDropsAtStart = receiver.kernelDrops();
            AtomicLong lastSequence = new AtomicLong(-1);
            receiver.subscribe(patientAddress, line -> {
                if (!listening) {
                    return;
                }
                if (ownLog != null) {
                    ownLog.append(line);
                }
                netconsoleLines.incrementAndGet();
                Long sequence = line.sequence();
                if (sequence != null) {
                    long previous = lastSequence.getAndAccumulate(sequence, Math::max);
                    if (previous >= 0 && sequence > previous + 1) {
                        timeline.addGap(line.arrival(), ConsoleLine.Source.NETCONSOLE, "netconsole lost "
                                + (sequence - previous - 1) + " message(s), sequence " + (previous + 1)
                                + (sequence - previous > 2 ? "-" + (sequence - 1) : ""));
                    }
                }
                options.listener().lineReceived(ConsoleLine.Source.NETCONSOLE);
                timeline.add(line);
                CaptureWatch current = watch;
                if (current != null) {
                    current.activity();
                }
            });
            String gatewayMac = null;
            if (facts.route() != null && facts.route().gateway() != null && board.netconsole().gatewayMac() == null) {
                gatewayMac = FactsScript.gatewayMac(patient, facts.route().gateway(), facts.route().device());
            }
            NetconsolePlan plan = NetconsolePlan.of(board.name(), board.netconsole(), facts, doctor,
                    board.doctor().port(), gatewayMac);
            plan.warnings().forEach(this::warn);
            NetconsoleSetup setup = new NetconsoleSetup(patient);
            active = setup.configure(plan, facts.consoleLogLevel(), true);
            log.write("netconsole target " + plan.target() + " (" + active.method() + ")");
            long foreignBefore = receiver.statistics().foreign();
            Duration took;
            try {
                took = setup.prove(active, (text, limit) -> receiver.awaitText(patientAddress, text, limit),
                        scenario.limits().netconsoleHandshake());
            } catch (LabException e) {
                throw withForeignSender(e, receiver.statistics().foreign() - foreignBefore);
            }
            phases.ok(String.format(Locale.ROOT, "%s, marker arrived after %d ms", active.method(), took.toMillis()));
        }

        /**
         * The failed handshake's diagnosis, told when the doctor did receive
         * datagrams meanwhile, but from an address it does not expect for this
         * board: the board's netconsole works and its lines come from elsewhere.
         */
        LabException withForeignSender(LabException failed, long foreignDatagrams) {
            Optional<InetAddress> sender = receiver.lastForeignSender();
            if (foreignDatagrams <= 0 || sender.isEmpty()) {
                return failed;
            }
            return new LabException(failed.getMessage() + "; meanwhile the doctor dropped " + foreignDatagrams
                    + " datagram(s) from " + sender.get().getHostAddress() + ", not the address it expects from board "
                    + board.name() + " (" + patientAddress + ")",
                    "if " + sender.get().getHostAddress() + " is the board (NAT, another interface, the other address "
                            + "family), set netconsole.source-ip in " + board.file() + "; else find who sends to port "
                            + board.doctor().port(), failed);
        }

        ReceiverSettings receiverSettings() throws LabException {
            try {
                String listen = board.doctor().listen();
                InetAddress bind = listen == null || listen.equals("0.0.0.0") || listen.equals("::") ? null
                        : InetAddress.getByName(listen);
                return ReceiverSettings.defaults(folder.directory()).withBindAddress(bind)
                        .withPort(board.doctor().port()).withAllowed(Set.of(InetAddress.getByName(patientAddress)));
            } catch (IOException e) {
                throw new LabException("board " + board.name() + ": bad doctor address: " + e.getMessage());
            }
        }

        void startSerial() throws LabException {
            phases.begin("serial");
            if (!options.serial()) {
                phases.fail("skipped", "turned off for this run");
                return;
            }
            Optional<SerialConsole> console = lab.serialConsole(folder.file("serial.log"));
            if (console.isEmpty()) {
                phases.fail("skipped", "the board has no serial console");
                return;
            }
            serial = console.get();
            serial.subscribe(line -> {
                serialLines.incrementAndGet();
                options.listener().lineReceived(ConsoleLine.Source.SERIAL);
                timeline.add(line);
                CaptureWatch current = watch;
                if (current != null) {
                    current.activity();
                }
            });
            serial.start();
            phases.ok(serial.describe());
        }

        void trigger() throws LabException, InterruptedException {
            phases.begin("trigger");
            CommandResult check = patient.runAsRoot(TriggerScript.preflight(scenario.trigger()), COMMAND_LIMIT);
            if (scenario.trigger() instanceof org.kernelrig.scenario.Trigger.UsbStorageWrite write) {
                String refusal = UsbDiskCheck.judge(write.device(), check.stdout(), write.expectedSize());
                if (refusal != null) {
                    throw new LabException("board " + board.name() + ": refusing to write: " + refusal,
                            "nothing was written; fix trigger.usb-storage-write.device in " + scenario.file());
                }
            } else if (!check.ok()) {
                throw new LabException("board " + board.name() + ": cannot trigger " + scenario.trigger().describe()
                        + ": " + check.stdout().strip());
            }
            String marker = "trigger finished " + runId;
            watch = new CaptureWatch(timeline, marker);
            triggerEntry = timeline.size();
            patient.launchAsRoot(TriggerScript.command(scenario.trigger(), startMarker(), marker));
            phases.ok(TriggerScript.describe(scenario.trigger()));
        }

        /**
         * With no live witness, nothing tells when the crash is over: the
         * capture ends when the board stops answering (the crash took it),
         * else at the capture limit; pstore may tell the rest after the reboot.
         */
        CaptureWatch.Ending awaitSilence() throws InterruptedException {
            Instant deadline = Instant.now().plus(scenario.limits().capture());
            while (Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
                if (!patient.isConnected() || !stillAnswers()) {
                    return CaptureWatch.Ending.BOARD_SILENT;
                }
            }
            return CaptureWatch.Ending.CAPTURE_LIMIT;
        }

        String startMarker() {
            return "trigger " + runId;
        }

        void capture() throws InterruptedException {
            phases.begin("capture");
            CaptureWatch.Ending ending = receiver == null && serial == null ? awaitSilence()
                    : watch.await(scenario.limits().capture(), scenario.limits().quietAfterTrace());
            watch.stop();
            crashes = watch.crashes().stream().filter(c -> c.firstLine() > triggerEntry).toList();
            watch.crashes().stream().filter(c -> c.firstLine() <= triggerEntry)
                    .forEach(c -> warn("the kernel crashed before the trigger: " + c.title()));
            List<TimelineEntry> entries = timeline.entries();
            crashes.stream().mapToInt(Crash::lastLine).max()
                    .ifPresent(last -> lastTraceLine = entries.get(Math.min(last, entries.size()) - 1).arrival());
            verdict = Verdict.judge(scenario, crashes);
            captureEnd = timeline.size();
            String how = switch (ending) {
                case TRACE_COMPLETE -> "trace complete";
                case TRIGGER_FINISHED -> "trigger finished";
                case BOARD_SILENT -> "no live witness; the board stopped answering";
                case CAPTURE_LIMIT -> "capture limit of " + scenario.limits().capture().toSeconds() + " s reached";
                case INTERRUPTED -> "interrupted";
            };
            long lost = lostBeforeRead();
            phases.ok(how + "; " + crashes.size() + " crash" + (crashes.size() == 1 ? "" : "es")
                    + (lost > 0 ? "; " + Verdict.lossNote(lost) : ""));
            if (lost > 0) {
                warn("netconsole " + Verdict.lossNote(lost) + ": the trace may lack lines (the serial console and pstore may"
                        + " have them)");
            }
            log.write("verdict: " + verdict.outcome() + ": " + verdict.reason());
            writeInterimReport();
        }

        void recover() throws LabException, InterruptedException {
            phases.begin("recover");
            boolean panicked = crashes.stream().anyMatch(Crash::panicked);
            boolean alive = !panicked && patient.isConnected() && stillAnswers();
            if (crashes.isEmpty() && alive) {
                new NetconsoleSetup(patient).remove(active);
                recovery = new RunReport.Recovery("none", true, Duration.ZERO, "the board survived; netconsole removed");
                phases.ok("board survived");
                return;
            }
            RecoveryPlan plan = RecoveryPlan.choose(panicked, alive, bootState.recordsInRam(), bootState.panicTimeout(),
                    lab.power().canReset(), bootState.watchdog());
            if (bootState.recordsInRam() && plan.steps().equals(List.of(RecoveryPlan.Step.POWER_CYCLE))) {
                warn("the board keeps its crash records in RAM (ramoops), but nothing can restart it without cutting "
                        + "the power (no panic timeout, no warm reset, no watchdog): the power cycle loses them; set "
                        + "panic=10 on its kernel command line, or give its power switch a reset");
            }
            Instant start = Instant.now();
            RecoveryPlan.Step tried = null;
            LabException last = null;
            for (RecoveryPlan.Step step : plan.steps()) {
                tried = step;
                try {
                    patient = recoverBy(step);
                    last = null;
                    break;
                } catch (LabException e) {
                    log.write(step.label + " did not bring the board back: " + e.getMessage());
                    last = e;
                }
            }
            Duration took = Duration.between(start, Instant.now());
            if (last != null) {
                recovery = new RunReport.Recovery(tried.label, false, took, last.getMessage());
                throw new LabException("board " + board.name() + " did not come back after the " + tried.label + ": "
                        + last.getMessage(), last.hint());
            }
            String release = patient.run("uname -r", COMMAND_LIMIT).output();
            if (!release.equals(facts.release())) {
                recovery = new RunReport.Recovery(tried.label, true, took, "came back with kernel " + release);
                throw new LabException("board " + board.name() + " came back with kernel " + release + ", not "
                        + facts.release());
            }
            String skipped = plan.steps().indexOf(tried) == 0 ? null
                    : "tried first: " + String.join(", ", plan.steps().subList(0, plan.steps().indexOf(tried)).stream()
                            .map(s -> s.label).toList());
            recovery = new RunReport.Recovery(tried.label, true, took, skipped);
            phases.ok(String.format(Locale.ROOT, "%s, back after %.1f s", tried.label, took.toMillis() / 1000.0));
        }

        /** Brings the board back one way; a new boot answering SSH, or a lab error. */
        SshPatient recoverBy(RecoveryPlan.Step step) throws LabException, InterruptedException {
            Duration boot = scenario.limits().boot();
            switch (step) {
                case KERNEL_REBOOT -> {
                    patient.close();
                    return awaitNewBoot(Duration.ofSeconds(Math.max(0, bootState.panicTimeout())).plus(boot));
                }
                case WARM_RESET -> {
                    patient.close();
                    lab.power().reset();
                    return awaitNewBoot(boot);
                }
                case SYSTEM_REBOOT -> {
                    patient.launchAsRoot("reboot -f || reboot");
                    patient.close();
                    return awaitNewBoot(boot);
                }
                case WATCHDOG_REBOOT -> {
                    patient.close();
                    return awaitNewBoot(boot);
                }
                default -> {
                    patient.close();
                    lab.power().cycle(board.power().offTime());
                    return SshWait.connect(lab, null, boot, log);
                }
            }
        }

        /** Waits within {@code limit} for a boot other than the one that crashed to answer SSH. */
        SshPatient awaitNewBoot(Duration limit) throws LabException, InterruptedException {
            return awaitNewBoot(limit, bootState.bootId(), null, () -> null);
        }

        /**
         * Waits within {@code limit} for a boot other than {@code oldBoot}
         * (any boot when null) to answer SSH; {@code giveUp} ends the wait
         * early with its reason.
         */
        SshPatient awaitNewBoot(Duration limit, String oldBoot, String acceptHostKey,
                java.util.function.Supplier<String> giveUp) throws LabException, InterruptedException {
            Instant deadline = Instant.now().plus(limit);
            while (true) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative()) {
                    throw new LabException("no new boot within " + limit.toSeconds() + " s");
                }
                SshPatient back = SshWait.connect(lab, acceptHostKey, left, log, giveUp);
                if (oldBoot == null || !KernelInstall.bootId(back).equals(oldBoot)) {
                    return back;
                }
                // the old system, not yet down
                back.close();
                Thread.sleep(1000);
            }
        }

        /**
         * Records a crash before this run left in the board's pstore: saved
         * apart (and deleted, as the board's file says), so that they are not
         * taken for this run's.
         */
        void setAsideEarlierRecords() throws LabException {
            if (!board.pstore().collect()) {
                return;
            }
            PstoreCollector store = new PstoreCollector(patient);
            PstoreFacts before = store.facts();
            log.write("pstore: " + (before.readable() ? "backend " + (before.backend() == null ? "none" : before.backend())
                    + ", " + before.records().size() + " record(s) before the trigger" : "not readable")
                    + "; the kernel " + (!before.rebootsAfterPanic() ? "does not reboot after a panic"
                            : before.panicTimeout() < 0 ? "reboots at once after a panic"
                            : "reboots " + before.panicTimeout() + " s after a panic")
                    + (bootState.watchdog() ? "; a watchdog runs" : ""));
            if (before.records().isEmpty()) {
                return;
            }
            PstoreCollection earlier = store.collect(folder.file("before-trigger"), board.pstore().delete());
            earlierRecords = before.records().stream().map(PstoreFacts.ListedRecord::fileName)
                    .collect(java.util.stream.Collectors.toSet());
            warn(before.records().size() + " pstore record(s) of an earlier crash were on the board: saved in "
                    + "before-trigger/pstore" + (earlier.deleted().isEmpty() ? "" : " and deleted") + " ("
                    + earlier.summary() + ")");
        }

        /**
         * Reads the crash records the kernel left in pstore, once the board is
         * back: saved raw first, then decoded and merged into the timeline as a
         * third witness, and the verdict made again on the merged console.
         */
        void collectPstore() throws LabException {
            if (!board.pstore().collect()) {
                pstoreStats = RunReport.WitnessStats.disabled("turned off in the board's file");
                return;
            }
            if (recovery == null || recovery.method().equals("none")) {
                pstoreStats = RunReport.WitnessStats.disabled("the board did not reboot");
                return;
            }
            phases.begin("pstore");
            PstoreCollection store = new PstoreCollector(patient).collect(folder.directory(), board.pstore().delete());
            store.warnings().forEach(this::warn);
            log.write(store.summary());
            List<ConsoleLine> lines = RecoveredLines.ofRun(store.dumps(), earlierRecords, "rig: " + startMarker());
            int onlyInPstore = timeline.addRecovered(lines);
            crashes = MergedAnalysis.crashesAfter(timeline.entries(), captureEnd, triggerEntry);
            verdict = Verdict.judge(scenario, crashes);
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("records", (long) store.records().size());
            counters.put("saved", (long) store.saved().size());
            counters.put("deleted", (long) store.deleted().size());
            counters.put("undecoded", (long) store.undecoded().size());
            counters.put("only in pstore", (long) onlyInPstore);
            pstoreStats = new RunReport.WitnessStats(store.available(), lines.size(), counters, store.summary());
            List<TimelineEntry> entries = timeline.entries();
            long alone = crashes.stream().filter(c -> MergedAnalysis.onlyRecovered(entries, c)).count();
            String witness = alone == 0 ? "" : "; pstore was the only witness of " + alone + " crash"
                    + (alone == 1 ? "" : "es");
            log.write("verdict on the merged console: " + verdict.outcome() + ": " + verdict.reason());
            phases.ok(store.records().size() + " record(s), " + lines.size() + " line(s) of this run, " + onlyInPstore
                    + " seen by no other witness" + witness);
        }

        /** The verdict on disk at once; the report is written again once the board is back. */
        void writeInterimReport() {
            try {
                List<TimelineEntry> entries = timeline.entries();
                folder.write(report(entries, verdict.outcome(), verdict.reason()), entries);
                if (lastTraceLine != null) {
                    log.write(String.format(Locale.ROOT, "report written %.3f s after the last trace line arrived",
                            Duration.between(lastTraceLine, Instant.now()).toMillis() / 1000.0));
                }
            } catch (IOException e) {
                warn("cannot write the report before the recovery: " + e.getMessage());
            }
        }

        boolean stillAnswers() {
            try {
                return patient.run("true", Duration.ofSeconds(3)).ok();
            } catch (LabException e) {
                return false;
            }
        }

        void checkKernel(PatientFacts found) throws LabException {
            if (scenario.kernelRelease() != null && !scenario.kernelRelease().matcher(found.release()).find()) {
                throw new LabException("board " + board.name() + " runs kernel " + found.release()
                        + ", which does not match kernel.release /" + scenario.kernelRelease().pattern() + "/",
                        "boot the kernel under test first");
            }
            if (scenario.kernelVersion() != null && !scenario.kernelVersion().matcher(found.version()).find()) {
                throw new LabException("board " + board.name() + " runs kernel version " + found.version()
                        + ", which does not match kernel.version /" + scenario.kernelVersion().pattern() + "/");
            }
        }

        void failed(LabException e) {
            if (interrupted) {
                markInterrupted();
                return;
            }
            outcome = Outcome.ERROR;
            reason = e.getMessage() + (e.hint() == null ? "" : "\n" + e.hint());
            String phase = phases.current();
            phases.fail("failed", e.getMessage());
            log.write("error" + (phase == null ? "" : " in phase " + phase) + ": " + reason);
        }

        void markInterrupted() {
            interruptedPhase = phases.current();
            outcome = Outcome.ERROR;
            reason = "interrupted" + (interruptedPhase == null ? "" : " during phase " + interruptedPhase);
            phases.fail("interrupted", null);
            Thread.interrupted();
            log.write(reason);
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
            if (watch != null) {
                watch.stop();
            }
            if (serial != null) {
                serial.close();
            }
            listening = false;
            if (ownLog != null) {
                ownLog.close();
            } else if (receiver != null) {
                receiver.close();
                Path own = receiver.logFile(patientAddress);
                if (Files.exists(own)) {
                    Files.move(own, folder.file("netconsole.log"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            leaveBoard();
            if (outcome == null) {
                outcome = verdict.outcome();
                reason = verdict.withNetconsoleLoss(lostBeforeRead()).reason();
                if (recovery != null && !recovery.boardBack() && outcome == Outcome.PASS) {
                    outcome = Outcome.ERROR;
                }
            }
            List<TimelineEntry> entries = timeline.entries();
            writeTimeline(entries);
            Instant writing = Instant.now();
            RunReport report = report(entries, outcome, reason);
            folder.write(report, entries);
            log.write(String.format(Locale.ROOT, "reports written in %d ms", Duration.between(writing, Instant.now())
                    .toMillis()));
            log.write(outcome + ": " + reason.lines().findFirst().orElse("") + " (report: " + folder.directory() + ")");
            if (patient != null) {
                patient.close();
            }
            if (lab != null) {
                lab.farewell(scenario.leaveBoardOn()).ifPresent(log::note);
                lab.close();
            }
            if (lock != null) {
                lock.close();
            }
            log.close();
            return new Result(report, folder.directory());
        }

        void leaveBoard() {
            if (lab == null) {
                return;
            }
            try {
                if (!scenario.leaveBoardOn()) {
                    lab.power().off();
                    log.write("board switched off, as the scenario says");
                } else if (interruptedPhase != null && interruptedPhase.equals("recover")) {
                    lab.power().on();
                    log.write("board switched on after the interrupted power cycle");
                } else if (active != null && patient != null && patient.isConnected() && interruptedPhase != null) {
                    new NetconsoleSetup(patient).remove(active);
                }
            } catch (LabException e) {
                warn("could not leave the board " + (scenario.leaveBoardOn() ? "on" : "off") + ": " + e.getMessage());
            }
        }

        void writeTimeline(List<TimelineEntry> entries) throws IOException {
            StringBuilder text = new StringBuilder();
            for (TimelineEntry entry : entries) {
                text.append(String.format(Locale.ROOT, "%10.3f %s %s%n",
                        Duration.between(started, entry.arrival()).toMillis() / 1000.0, entry.witnesses(),
                        entry.gap() ? "--- " + entry.text() + " ---" : entry.text()));
            }
            Files.writeString(folder.file("timeline.log"), text.toString(), StandardCharsets.UTF_8);
        }

        RunReport report(List<TimelineEntry> entries, Outcome outcome, String reason) {
            List<RunReport.CrashFinding> findings = new ArrayList<>();
            for (Crash crash : crashes) {
                Set<String> witnesses = new TreeSet<>();
                EnumSet<ConsoleLine.Source> sources = EnumSet.noneOf(ConsoleLine.Source.class);
                for (int i = crash.firstLine(); i <= crash.lastLine() && i <= entries.size(); i++) {
                    sources.addAll(entries.get(i - 1).seenOn());
                }
                sources.forEach(s -> witnesses.add(s.name().toLowerCase(Locale.ROOT)));
                // Verbatim from the timeline: a report quotes the kernel, "? " frames and all.
                List<String> lines = entries.subList(Math.min(crash.firstLine(), entries.size() + 1) - 1,
                        Math.min(crash.lastLine(), entries.size())).stream().filter(e -> !e.gap())
                        .map(TimelineEntry::text).toList();
                String headline = lines.isEmpty() ? crash.title() : lines.get(0);
                findings.add(new RunReport.CrashFinding(crash.kind().id(), headline, crash.title(), crash.guiltyFrame(),
                        crash.fingerprint(), crash.panicked(), crash.corrupted(), crash.complete(),
                        crash.frames().stream().map(StackFrame::function).toList(), lines, witnesses,
                        crash.firstLine(), crash.lastLine()));
            }
            String hardware = crashes.stream().map(Crash::hardware).filter(h -> h != null).findFirst().orElse(null);
            RunReport.KernelInfo kernel = facts == null ? null
                    : new RunReport.KernelInfo(facts.release(), facts.version(), facts.machine(), hardware);
            return CrashSymbolizer.addTo(new RunReport(folder.directory().getFileName().toString(), version,
                    new RunReport.ScenarioInfo(scenario.name(), String.valueOf(scenario.file()), scenario.description(),
                            scenario.debianBug(), TriggerScript.describe(scenario.trigger()), scenario.expect().describe()),
                    new RunReport.BoardInfo(board.name(), board.kind(), board.address(), board.power().describe()),
                    kernel, started, Instant.now(), phases.records(), outcome, reason, interruptedPhase, findings,
                    netconsoleStats(), serialStats(), pstoreStats, recovery, warnings),
                    crashes, lab == null ? DebugInfo.NONE : lab.debugInfo(), facts == null ? null : facts.release());
        }

        RunReport.WitnessStats netconsoleStats() {
            if (receiver == null) {
                return RunReport.WitnessStats.disabled(options.netconsole() ? "not started" : "turned off");
            }
            Map<String, Long> counters = new LinkedHashMap<>(ReceiverCounters.of(receiver, patientAddress));
            long lost = lostBeforeRead();
            if (lost >= 0) {
                counters.put(ReceiverCounters.LOST_BEFORE_READ, lost);
            }
            return new RunReport.WitnessStats(true, netconsoleLines.get(), counters, lost > 0 ? Verdict.lossNote(lost) : null);
        }

        /**
         * Datagrams the kernel dropped on the doctor's socket since this run
         * began to use it, because its buffer was full: they never reached rig.
         * The socket's count, so in a suite it covers the boards sharing it.
         * -1 when this system cannot tell.
         */
        long lostBeforeRead() {
            long now = receiver == null ? -1 : receiver.kernelDrops();
            return now < 0 || kernelDropsAtStart < 0 ? -1 : now - kernelDropsAtStart;
        }


        RunReport.WitnessStats serialStats() {
            if (serial == null) {
                return RunReport.WitnessStats.disabled(options.serial() ? "no serial console" : "turned off");
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("bytes", serial.bytesReceived());
            counters.put("reopened", (long) serial.gaps().size());
            return new RunReport.WitnessStats(true, serialLines.get(), counters, null);
        }
    }
}
