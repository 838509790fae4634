package org.kernelrig.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.JsonReport;
import org.kernelrig.run.RunListener;
import org.kernelrig.run.ScenarioRunner;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig run SCENARIO}: one crash test from start to report. */
@Command(name = "run", description = {
    "Run a crash scenario on a board and write a report in reports/<run-id>/.",
    "Exit code 0: the kernel did what the scenario expects; 1: it did not; 125: the lab failed."})
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SCENARIO", description = "A scenario file, e.g. scenarios/sysrq-panic.yaml.")
    Path scenarioFile;

    @Option(names = "--board", paramLabel = "NAME", description = "The board to run on (default: the scenario's board).")
    String boardName;

    @Option(names = "--reports", paramLabel = "DIR", description = "Where run folders go (default: the reports/ "
            + "folder of the rig checkout, else ./reports).")
    Path reports;

    @Option(names = "--accept-host-key", paramLabel = "SHA256:...",
            description = "Accept this host key fingerprint once and record it (a new board).")
    String acceptHostKey;

    @Option(names = "--no-serial", description = "Do not read the serial console.")
    boolean noSerial;

    @Option(names = "--kernel", paramLabel = "PATH", description = "For a virtual board: a bzImage or Debian kernel "
            + "package to boot instead of its own.")
    Path kernel;

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
        Inventory boards = inventory.load();
        Scenario scenario = ScenarioFile.load(scenarioFile, scenarioFile.toString(), boards);
        Board board = board(boards, scenario);
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null && !quiet && !json;
        try (RunProgress progress = new RunProgress(out, terminal)) {
            RunListener listener = quiet || json ? RunListener.SILENT : progress;
            ScenarioRunner runner = new ScenarioRunner(scenario, board, new ScenarioRunner.Options(reportsFolder(),
                    acceptHostKey, !noSerial, true, listener, kernel), Rig.version());
            Thread stopper = new Thread(() -> {
                try {
                    runner.interrupt(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "rig-interrupt");
            Runtime.getRuntime().addShutdownHook(stopper);
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
            return result.report().outcome().exitCode();
        }
    }

    private Board board(Inventory boards, Scenario scenario) throws InvalidConfigException {
        String name = boardName != null ? boardName : scenario.board();
        if (name == null) {
            throw new InvalidConfigException(new ConfigProblem(new Location(scenarioFile.toString(), 1, 1),
                    "the scenario names no board and --board was not given",
                    "add board: NAME to the scenario, or run with --board NAME (boards: "
                            + String.join(", ", boards.names()) + ")"));
        }
        if (boardName != null) {
            return inventory.board(name, spec);
        }
        return boards.require(name, new Location(scenarioFile.toString(), 0, 0));
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
