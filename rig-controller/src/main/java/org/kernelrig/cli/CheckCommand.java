package org.kernelrig.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;
import org.kernelrig.config.YamlDocument;
import org.kernelrig.config.YamlMapping;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.suite.KnownCrashes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig check FILE...}: validates scenario and board files. */
@Command(name = "check", mixinStandardHelpOptions = true, description = {
    "Check scenario and board files and say OK or what is wrong (file:line:column).",
    "A file in a folder named inventory is a board, in scenarios a scenario; elsewhere its keys tell."})
final class CheckCommand implements Callable<Integer> {

    enum Kind { board, scenario, known_crashes }

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scenario or board YAML files.")
    List<Path> files;

    @Option(names = "--as", paramLabel = "KIND", description = "Read every FILE as a ${COMPLETION-CANDIDATES} file "
            + "(known_crashes: a known-crashes.yaml).")
    Kind as;

    @Mixin
    InventoryOption inventory;

    @Spec
    CommandSpec spec;

    private Inventory loadedInventory;
    private boolean inventoryTried;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int invalid = 0;
        for (Path file : files) {
            String display = file.toString();
            try {
                out.println(display + ": OK (" + check(file, display, err) + ")");
            } catch (InvalidConfigException e) {
                invalid++;
                for (ConfigProblem problem : e.problems()) {
                    err.println(problem.render());
                }
            }
        }
        out.flush();
        err.flush();
        if (files.size() > 1) {
            (invalid == 0 ? out : err).println(files.size() + " files checked: " + (files.size() - invalid)
                    + " OK, " + invalid + " invalid");
        }
        return invalid == 0 ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private String check(Path file, String display, PrintWriter err) throws InvalidConfigException {
        Kind kind = as != null ? as : file.getFileName().toString().equals(KnownCrashes.FILE_NAME) ? Kind.known_crashes
                : kindFromFolder(file);
        if (kind == Kind.known_crashes) {
            return "known crashes, " + KnownCrashes.load(file, display).entries().size() + " entries";
        }
        if (kind == null) {
            YamlMapping root = YamlDocument.load(file, display, "board or scenario",
                    "trigger and expect (a scenario) or ssh and power (a board)");
            kind = kindFromKeys(root);
        }
        if (kind == Kind.board) {
            Board board = BoardFile.load(file, display);
            return "board " + board.name() + ", " + board.kind() + ", power " + board.power().driver();
        }
        Scenario scenario = ScenarioFile.load(file, display, inventory(err));
        return "scenario " + scenario.name() + ": " + scenario.trigger().describe() + ", expects "
                + scenario.expect().describe();
    }

    private static Kind kindFromFolder(Path file) {
        for (Path dir = file.toAbsolutePath().getParent(); dir != null && dir.getFileName() != null;
                dir = dir.getParent()) {
            String name = dir.getFileName().toString();
            if (name.equals("inventory")) {
                return Kind.board;
            }
            if (name.equals("scenarios")) {
                return Kind.scenario;
            }
        }
        return null;
    }

    private static Kind kindFromKeys(YamlMapping root) throws InvalidConfigException {
        if (root.has("trigger") || root.has("expect")) {
            return Kind.scenario;
        }
        if (root.has("ssh") || root.has("power") || root.has("qemu") || root.has("serial")) {
            return Kind.board;
        }
        throw new InvalidConfigException(new ConfigProblem(new Location(root.file(), 0, 0),
                "cannot tell whether this is a board or a scenario file",
                "a scenario has trigger: and expect:, a board has ssh: and power:; or say which with --as"));
    }

    /** The inventory, for checking the boards scenarios name; a broken inventory is reported once and skipped. */
    private Inventory inventory(PrintWriter err) {
        if (!inventoryTried) {
            inventoryTried = true;
            try {
                loadedInventory = inventory.load();
            } catch (InvalidConfigException e) {
                err.println("rig: note: the inventory (" + inventory.resolve()
                        + ") cannot be read, so board names in scenarios are not checked: " + e.problems().get(0).render());
            }
        }
        return loadedInventory;
    }
}
