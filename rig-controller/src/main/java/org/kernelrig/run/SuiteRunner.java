package org.kernelrig.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.kernelrig.LabException;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.board.LabBoards;
import org.kernelrig.inventory.Board;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.ReceiverSettings;
import org.kernelrig.netconsole.ReceiverWarmUp;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.suite.CrashChanges;
import org.kernelrig.suite.KnownCrashes;
import org.kernelrig.suite.RunHistory;
import org.kernelrig.suite.SuiteFolder;
import org.kernelrig.suite.SuiteReport;

/**
 * Many scenarios on many boards: boards in parallel, each board's scenarios
 * in sequence, one doctor per UDP port serving every board that sends to it.
 * An error is tried once more after a power cycle; a fail never is. A board
 * that still errs in reaching it (lock, power, SSH) is marked broken and
 * skipped for the rest of the suite, and the suite goes on.
 */
public final class SuiteRunner {

    /** Phases whose failure says the board, not the scenario, is in trouble. */
    private static final Set<String> BOARD_PHASES = Set.of(Phase.LOCK.id(), Phase.POWER_ON.id(), Phase.CONNECT.id());

    /**
     * How a suite runs.
     *
     * @param retries how often an error is tried again, after a power cycle
     * @param kernel  the kernel under test as the summary names it, or null
     */
    public record Options(ScenarioRunner.Options run, int retries, KnownCrashes known, String kernel) {
    }

    /** What a suite left: its runs and the summary written in its folder. */
    public record Result(String suiteId, Path folder, List<RunReport> runs, Map<String, String> brokenBoards,
            SuiteReport report) {

        /** 1 when any run failed, else 125 when any erred, else 0. */
        public Outcome outcome() {
            Outcome worst = Outcome.PASS;
            for (RunReport run : runs) {
                worst = worst.worse(run.outcome());
            }
            return worst;
        }
    }

    private final Map<Board, List<Scenario>> plan;
    private final List<Board> boards;
    private final Options options;
    private final String version;

    /** @param plan the scenarios each board runs, in order */
    public SuiteRunner(Map<Board, List<Scenario>> plan, Options options, String version) {
        this.plan = new LinkedHashMap<>(plan);
        this.boards = List.copyOf(plan.keySet());
        this.options = options;
        this.version = version;
    }

    public Result run() throws LabException, IOException, InterruptedException {
        Instant started = Instant.now();
        Map<Integer, List<Board>> byPort = groupByDoctorPort();
        RunHistory history = RunHistory.read(options.run().reports());
        SuiteFolder suite = SuiteFolder.create(options.run().reports(), started, "suite");
        Path folder = suite.directory();
        KcidbReport kcidb = KnownCrashIssues.attach(options.run().kcidb(), options.known(), started)
                .inFolder(suite.suiteId());
        List<NetconsoleReceiver> doctors = new ArrayList<>();
        Map<String, String> broken = Collections.synchronizedMap(new LinkedHashMap<>());
        List<RunReport> runs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(boards.size(), r -> {
            Thread t = new Thread(r, "rig-suite-board");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, NetconsoleReceiver> doctorOf = new LinkedHashMap<>();
            for (Map.Entry<Integer, List<Board>> group : byPort.entrySet()) {
                ReceiverSettings settings = ReceiverSettings.defaults(folder.resolve("doctor-" + group.getKey()))
                        .withPort(group.getKey()).withAllowed(patients(group.getValue()));
                ReceiverWarmUp.once(settings);
                NetconsoleReceiver doctor = new NetconsoleReceiver(settings);
                doctor.start();
                doctors.add(doctor);
                group.getValue().forEach(b -> doctorOf.put(b.name(), doctor));
            }
            List<Future<?>> work = new ArrayList<>();
            for (Board board : boards) {
                ScenarioRunner.Options runOptions = options.run().withReports(folder)
                        .withSharedReceiver(doctorOf.get(board.name()))
                        .withKcidb(kcidb);
                work.add(pool.submit(() -> {
                    runBoard(board, runOptions, runs, broken);
                    return null;
                }));
            }
            for (Future<?> future : work) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("a board's runs failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            doctors.forEach(NetconsoleReceiver::close);
        }
        List<RunReport> ordered = new ArrayList<>(runs);
        ordered.sort((a, b) -> a.started().compareTo(b.started()));
        CrashChanges changes = CrashChanges.compare(history.before(started), ordered);
        SuiteReport report = SuiteReport.assemble(new SuiteReport.Header(suite.suiteId(), version, started, Instant.now(),
                options.kernel(), boards.stream().map(Board::name).toList(),
                plan.values().stream().flatMap(List::stream).map(Scenario::name).distinct().toList(),
                "the latest earlier run of each board and scenario"), ordered, changes, options.known(),
                history.warnings());
        suite.write(report, ordered);
        writeKcidb(suite, kcidb, ordered);
        return new Result(suite.suiteId(), folder, ordered, new LinkedHashMap<>(broken), report);
    }

    /** kcidb.json of the whole suite: every run, and the known crashes as issues with the runs that showed them. */
    private void writeKcidb(SuiteFolder suite, KcidbReport kcidb, List<RunReport> runs) throws IOException {
        new ReportFolder(suite.directory()).atomically(KcidbReport.FILE_NAME, kcidb.render(runs, suite.directory()));
    }

    private void runBoard(Board board, ScenarioRunner.Options runOptions, List<RunReport> runs, Map<String, String> broken)
            throws IOException {
        String kernelDown = null;
        for (Scenario scenario : plan.get(board)) {
            if (broken.containsKey(board.name())) {
                runs.add(skipped(scenario, board, "board " + board.name() + " is broken: " + broken.get(board.name())));
                continue;
            }
            if (kernelDown != null) {
                runs.add(skipped(scenario, board, kernelDown));
                continue;
            }
            RunReport report = new ScenarioRunner(scenario, board, runOptions, version).run().report();
            for (int attempt = 0; attempt < options.retries() && report.outcome() == Outcome.ERROR
                    && report.interruptedPhase() == null; attempt++) {
                runOptions.listener().note("board " + board.name() + ": " + scenario.name()
                        + " erred; power-cycling the board and trying once more");
                cycle(board);
                report = new ScenarioRunner(scenario, board, runOptions, version).run().report();
            }
            runs.add(report);
            if (report.outcome() == Outcome.FAIL && failedIn(report, Phase.KERNEL.id())) {
                kernelDown = "the kernel under test did not boot on board " + board.name() + " (run " + report.runId()
                        + ")";
            }
            if (report.outcome() == Outcome.ERROR && failedReachingBoard(report)) {
                broken.put(board.name(), report.reason().lines().findFirst().orElse("unreachable"));
            }
        }
    }

    private static boolean failedIn(RunReport report, String phase) {
        return report.phases().stream().anyMatch(p -> p.status().equals("failed") && p.name().equals(phase));
    }

    private static boolean failedReachingBoard(RunReport report) {
        return report.phases().stream().anyMatch(p -> p.status().equals("failed") && BOARD_PHASES.contains(p.name()));
    }

    private void cycle(Board board) {
        try (BoardLifecycle lifecycle = BoardLifecycle.open(board, options.run().kernel(), message -> { }, message -> { })) {
            lifecycle.prepare();
            lifecycle.powerCycle(board.power().offTime());
        } catch (LabException e) {
            options.run().listener().note("board " + board.name() + ": the power cycle before the retry failed: "
                    + e.getMessage());
        }
    }

    private RunReport skipped(Scenario scenario, Board board, String why) {
        Instant now = Instant.now();
        return new RunReport("skipped-" + scenario.name() + "-" + board.name(), version,
                new RunReport.ScenarioInfo(scenario.name(), String.valueOf(scenario.file()), scenario.description(),
                        scenario.debianBug(), scenario.trigger().describe(), scenario.expect().describe()),
                new RunReport.BoardInfo(board.name(), board.kind(), board.address(), board.power().describe()), null, now,
                now, List.of(), Outcome.ERROR, "skipped: " + why, null, List.of(),
                RunReport.WitnessStats.disabled("skipped"), RunReport.WitnessStats.disabled("skipped"),
                RunReport.WitnessStats.disabled("skipped"), null, List.of());
    }

    /** Boards by the UDP port their netconsole goes to; lines of one port must be told apart by address. */
    private Map<Integer, List<Board>> groupByDoctorPort() throws LabException {
        Map<Integer, List<Board>> byPort = new LinkedHashMap<>();
        for (Board board : boards) {
            byPort.computeIfAbsent(board.doctor().port(), p -> new ArrayList<>()).add(board);
        }
        for (Map.Entry<Integer, List<Board>> group : byPort.entrySet()) {
            Map<InetAddress, String> seen = new LinkedHashMap<>();
            for (Board board : group.getValue()) {
                for (InetAddress address : patients(List.of(board))) {
                    String other = seen.putIfAbsent(address, board.name());
                    if (other != null) {
                        throw new LabException("boards " + other + " and " + board.name() + " both send netconsole from "
                                + address.getHostAddress() + " to port " + group.getKey()
                                + ": their lines could not be told apart",
                                "give one of them a doctor.port of its own in its board file (virtual boards all send "
                                        + "from 127.0.0.1)");
                    }
                }
            }
        }
        return byPort;
    }

    /** The addresses a board's netconsole may come from, for the doctor's allow list. */
    public static Set<InetAddress> patients(List<Board> boards) throws LabException {
        Set<InetAddress> addresses = new HashSet<>();
        for (Board board : boards) {
            try {
                if (board.isVirtual()) {
                    addresses.add(InetAddress.getByName(LabBoards.virtualPatientAddress(board)));
                } else {
                    addresses.add(InetAddress.getByName(board.ssh().host()));
                    if (board.netconsole().sourceIp() != null) {
                        addresses.add(InetAddress.getByName(board.netconsole().sourceIp()));
                    }
                }
            } catch (UnknownHostException e) {
                throw new LabException("board " + board.name() + ": cannot resolve " + board.ssh().host(),
                        "check ssh.host in " + board.file());
            }
        }
        return addresses;
    }
}
