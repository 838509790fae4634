package org.kernelrig.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --inventory DIR}, shared by every command that needs the boards. */
final class InventoryOption {

    @Option(names = "--inventory", paramLabel = "DIR",
            description = "The folder of board files (default: $RIG_INVENTORY, else the inventory/ folder of the "
                    + "rig checkout, else ./inventory).")
    Path directory;

    Path resolve() {
        if (directory != null) {
            return directory;
        }
        String env = System.getenv("RIG_INVENTORY");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getenv("RIG_HOME");
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home, "inventory"))) {
            return Path.of(home, "inventory");
        }
        return Path.of("inventory");
    }

    Inventory load() throws InvalidConfigException {
        return Inventory.load(resolve());
    }

    /** The board called {@code name} of the inventory, or a usage error naming the boards there are. */
    Board board(String name, CommandSpec spec) throws InvalidConfigException {
        Inventory boards = load();
        return boards.find(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                boards.unknownBoardMessage(name) + "\n  " + boards.unknownBoardHint(name)));
    }
}
