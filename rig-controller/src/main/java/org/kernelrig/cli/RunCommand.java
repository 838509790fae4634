package org.kernelrig.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.LabException;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSettings;
import org.kernelrig.report.KernelBuild;
import org.kernelrig.report.RunReport;
import org.kernelrig.run.KnownCrashIssues;
import org.kernelrig.run.RunListener;
import org.kernelrig.run.ScenarioRunner;
import org.kernelrig.run.SuiteRunner;
import org.kernelrig.suite.KnownCrashes;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig run SCENARIO}: one crash test from start to report. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Run crash scenarios on boards and write their reports in reports/.",
    "One scenario on one board: reports/<run-id>/; several: a suite, boards in parallel, reports/<suite-id>/.",
    "Exit code 0: the kernel did what the scenario expects; 1: it did not; 125: the lab failed."})
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SCENARIO", arity = "1..*",
            description = "Scenario files, e.g. scenarios/sysrq-panic.yaml.")
    List<Path> scenarioFiles;

    @Option(names = "--board", paramLabel = "NAME", description = "A board to run on; repeat for several (default: "
            + "each scenario's board). With boards given, every scenario runs on every board.")
    List<String> boardNames = new ArrayList<>();

    @Option(names = "--all-boards", description = "Run on every board of the inventory.")
    boolean allBoards;

    @Option(names = "--tag", paramLabel = "TAG", description = "Run on the boards with this tag.")
    String tag;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "1",
            description = "With several runs: how often an error is tried again after a power cycle (default: "
                    + "${DEFAULT-VALUE}); a fail is never retried.")
    int retries;

    @Option(names = "--reports", paramLabel = "DIR", description = "Where run folders go (default: the reports/ "
            + "folder of the rig checkout, else ./reports).")
    Path reports;

    @Option(names = "--accept-host-key", paramLabel = "SHA256:...",
            description = "Accept this host key fingerprint once and record it (a new board).")
    String acceptHostKey;

    @Option(names = "--no-serial", description = "Do not read the serial console.")
    boolean noSerial;

    @Option(names = "--no-netconsole", description = "Do not set up netconsole: the crash is then known from the "
            + "serial console and the pstore records read after the reboot.")
    boolean noNetconsole;

    @Option(names = "--kernel", paramLabel = "PATH", description = "The kernel under test: a Debian kernel package "
            + "(installed on boards of the bench, booted by virtual boards) or, for virtual boards, a bzImage; every "
            + "board runs it, checked by uname -r and -v, before its scenarios.")
    Path kernel;

    @Option(names = "--known-crashes", paramLabel = "FILE", description = "Crashes known as Debian bugs, for the suite "
            + "summary and kcidb.json (default: known-crashes.yaml of the rig checkout).")
    Path knownCrashes;

    @Option(names = "--wait-for-board", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            description = "How long to wait for a board another rig run is using (default: refuse at once).")
    Duration waitForBoard;

    @Option(names = "--origin", paramLabel = "NAME", defaultValue = KcidbSettings.DEFAULT_ORIGIN,
            description = "Your lab's name in KernelCI's KCIDB, the prefix of every id in kcidb.json: lower case "
                    + "letters, digits and '_' (default: ${DEFAULT-VALUE}).")
    String origin;

    @Option(names = "--reports-url", paramLabel = "URL", description = "Where the reports folder is published (a CI "
            + "job's artifacts), for the links in kcidb.json (default: file: URLs of the local files).")
    URI reportsUrl;

    @Option(names = "--quiet", description = "Print only the outcome.")
    boolean quiet;

    @Option(names = "--json", description = "Print report.json on standard output instead of progress.")
    boolean json;

    @Mixin
    InventoryOption inventory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        KcidbSettings kcidb = kcidbSettings();
        Inventory boards = inventory.load();
        List<Scenario> scenarios = new ArrayList<>();
        // Boards named on the command line replace the scenarios' own, which then need not be in this inventory.
        boolean boardsGiven = allBoards || tag != null || !boardNames.isEmpty();
        for (Path file : scenarioFiles) {
            scenarios.add(ScenarioFile.load(file, file.toString(), boardsGiven ? null : boards));
        }
        Map<Board, List<Scenario>> plan = plan(boards, scenarios);
        KernelUnderTest underTest = kernelUnderTest();
        KnownCrashes known = KnownCrashes.loadIfPresent(knownCrashesFile(), knownCrashesFile().toString());
        PrintWriter out = spec.commandLine().getOut();
        boolean single = plan.size() == 1 && plan.values().iterator().next().size() == 1;
        boolean terminal = System.console() != null && !quiet && !json && single;
        try (RunProgress progress = new RunProgress(out, terminal)) {
            RunListener listener = quiet || json ? RunListener.SILENT : progress;
            ScenarioRunner.Options options = new ScenarioRunner.Options(reportsFolder(), acceptHostKey, !noSerial, !noNetconsole,
                    listener, underTest, null, waitForBoard, KcidbReport.withoutIssues(kcidb,
                            underTest == null ? null : KernelBuild.of(underTest)));
            if (single) {
                Board board = plan.keySet().iterator().next();
                return runOne(plan.get(board).get(0), board, options.withKcidb(KnownCrashIssues.attach(options.kcidb(),
                        known, Instant.now())), progress, out);
            }
            return runSuite(plan, options, known, progress, out);
        }
    }

    private int runOne(Scenario scenario, Board board, ScenarioRunner.Options options, RunProgress progress,
            PrintWriter out) throws Exception {
        ScenarioRunner runner = new ScenarioRunner(scenario, board, options, Rig.version());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.interrupt(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rig-interrupt"));
        ScenarioRunner.Result result = runner.run();
        progress.close();
        if (json) {
            out.print(JsonReport.render(result.report()));
        } else {
            out.println(result.report().outcome() + "  " + scenario.name() + " on " + board.name() + ": "
                    + result.report().reason().lines().findFirst().orElse(""));
            result.report().reason().lines().skip(1).forEach(l -> out.println("  " + l));
            if (!quiet) {
                out.println("report: " + Inventory.displayName(result.folder().resolve("report.html")));
            }
        }
        out.flush();
        return ExitCodes.of(result.report().outcome());
    }

    private int runSuite(Map<Board, List<Scenario>> plan, ScenarioRunner.Options options, KnownCrashes known,
            RunProgress progress, PrintWriter out) throws Exception {
        SuiteRunner.Result result = new SuiteRunner(plan, new SuiteRunner.Options(options, retries, known,
                options.kernel() == null ? null : options.kernel().describe()), Rig.version()).run();
        progress.close();
        if (!json) {
            for (RunReport run : result.runs()) {
                out.println(String.format(Locale.ROOT, "%-5s  %s on %s: %s", run.outcome(), run.scenario().name(),
                        run.board().name(), run.reason().lines().findFirst().orElse("")));
            }
            result.brokenBoards().forEach((board, why) -> out.println("broken board " + board + ": " + why));
            out.println("suite: " + Inventory.displayName(result.folder().resolve("index.html")));
        }
        out.flush();
        return ExitCodes.of(result.outcome());
    }

    /** --origin and --reports-url, checked before anything starts. */
    private KcidbSettings kcidbSettings() {
        try {
            return new KcidbSettings(origin, reportsUrl);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), (reportsUrl != null
                    && KcidbSettings.originProblem(origin) == null ? "--reports-url: " : "--origin: ") + e.getMessage());
        }
    }

    /** The kernel given with --kernel, read; a file that is no kernel is bad input. */
    private KernelUnderTest kernelUnderTest() {
        if (kernel == null) {
            return null;
        }
        try {
            return KernelUnderTest.inspect(kernel);
        } catch (LabException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kernel: " + e.getMessage()
                    + (e.hint() == null ? "" : " (" + e.hint() + ")"));
        }
    }

    /** Which scenarios run on which board: the matrix when boards are named, else each scenario's own board. */
    private Map<Board, List<Scenario>> plan(Inventory boards, List<Scenario> scenarios) throws Exception {
        List<Board> chosen = new ArrayList<>();
        if (allBoards) {
            chosen.addAll(boards.boards());
        }
        if (tag != null) {
            List<Board> tagged = boards.boards().stream().filter(b -> b.tags().contains(tag)).toList();
            if (tagged.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no board has the tag '" + tag + "'");
            }
            chosen.addAll(tagged);
        }
        for (String name : boardNames) {
            chosen.add(inventory.board(name, spec));
        }
        Map<Board, List<Scenario>> plan = new LinkedHashMap<>();
        if (!chosen.isEmpty()) {
            for (Board board : chosen) {
                plan.putIfAbsent(board, new ArrayList<>(scenarios));
            }
            return plan;
        }
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario scenario = scenarios.get(i);
            String file = scenarioFiles.get(i).toString();
            if (scenario.board() == null) {
                throw new InvalidConfigException(new ConfigProblem(new Location(file, 1, 1),
                        "the scenario names no board and no board was given",
                        "add board: NAME to the scenario, or run with --board NAME (boards: "
                                + String.join(", ", boards.names()) + ")"));
            }
            plan.computeIfAbsent(boards.require(scenario.board(), new Location(file, 0, 0)), b -> new ArrayList<>())
                    .add(scenario);
        }
        return plan;
    }

    /** known-crashes.yaml: the option's, else the rig checkout's, else the working directory's. */
    private Path knownCrashesFile() {
        if (knownCrashes != null) {
            return knownCrashes;
        }
        String home = System.getenv("RIG_HOME");
        return home != null ? Path.of(home, KnownCrashes.FILE_NAME) : Path.of(KnownCrashes.FILE_NAME);
    }

    private Path reportsFolder() {
        if (reports != null) {
            return reports;
        }
        String home = System.getenv("RIG_HOME");
        if (home != null && Files.isDirectory(Path.of(home, "reports"))) {
            return Path.of(home, "reports");
        }
        return Path.of("reports");
    }
}
