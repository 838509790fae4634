package org.kernelrig.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kernelrig.LabException;
import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.virtualboard.BoardImage;
import org.kernelrig.virtualboard.ImageBuilder;
import org.kernelrig.UserFolders;
import org.kernelrig.virtualboard.VirtualBoard;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig board prepare|start|stop|status BOARD}: a virtual board by hand. */
@Command(name = "board", mixinStandardHelpOptions = true, description = "Prepare, start and stop a virtual board by hand.",
        subcommands = {BoardCommand.Prepare.class, BoardCommand.Start.class, BoardCommand.Stop.class,
            BoardCommand.Status.class})
final class BoardCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the subcommands share: the board, the inventory, the instance and the kernel. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "BOARD", description = "A virtual board of the inventory, e.g. qemu-x86_64.")
        String name;

        @Option(names = "--instance", paramLabel = "N", defaultValue = "0",
                description = "Which instance of the board (several may run at once; default ${DEFAULT-VALUE}).")
        int instance;

        @Option(names = "--kernel", paramLabel = "FILE",
                description = "Boot this bzImage or Debian kernel package (.deb) instead of the board's kernel.")
        Path kernel;

        @Mixin
        InventoryOption inventory;

        VirtualBoard open(PrintWriter out) throws InvalidConfigException, LabException {
            Inventory boards = inventory.load();
            Board board = boards.require(name, new Location("the command line", 0, 0));
            Location commandLine = new Location("the command line", 0, 0);
            if (!board.isVirtual()) {
                throw new InvalidConfigException(new ConfigProblem(commandLine, "board " + name
                        + " is a physical board; rig board works with virtual ones",
                        "virtual boards have a qemu: section, e.g. inventory/qemu-x86_64.yaml"));
            }
            if (instance < 0 || instance > 63) {
                throw new InvalidConfigException(new ConfigProblem(commandLine,
                        "--instance must be 0..63, got " + instance, null));
            }
            ImageBuilder builder = new ImageBuilder(UserFolders.cache(), line -> {
                out.println(line);
                out.flush();
            });
            return VirtualBoard.open(board, VirtualBoard.stateRoot(board.name()).resolve(String.valueOf(instance)),
                    builder, kernel, line -> {
                        out.println(line);
                        out.flush();
                    });
        }
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true, description = "Build the board's image (cached; built only when missing).")
    static final class Prepare implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (VirtualBoard board = target.open(out)) {
                BoardImage image = board.prepare();
                out.println("board " + target.name + ": image ready, kernel " + image.kernelRelease()
                        + (image.lkdtm() ? ", LKDTM-lite" : ", no LKDTM-lite"));
                out.println("  kernel    " + image.kernel());
                out.println("  initramfs " + image.initramfs());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the board (power on) and print how to reach it.")
    static final class Start implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (VirtualBoard board = target.open(out)) {
                boolean wasRunning = board.isRunning();
                board.start();
                out.println("board " + target.name + (wasRunning ? ": already running" : ": started, booting"));
                describe(board, out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the board (power off: QEMU ends).")
    static final class Stop implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (VirtualBoard board = target.open(out)) {
                boolean wasRunning = board.isRunning();
                board.stop();
                out.println("board " + target.name + (wasRunning ? ": stopped" : ": was not running"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the board runs, and how to reach it.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (VirtualBoard board = target.open(out)) {
                var status = board.status();
                out.println("board " + target.name + ": " + status.map(s -> "on (QEMU: " + s + ")").orElse("off"));
                if (status.isPresent()) {
                    describe(board, out);
                }
            }
            return ExitCodes.OK;
        }
    }

    static void describe(VirtualBoard board, PrintWriter out) throws LabException {
        out.println("  ssh       -i " + board.identity() + " -o UserKnownHostsFile=" + board.knownHosts()
                + " -p " + board.sshPort() + " root@127.0.0.1");
        out.println("  console   " + board.console() + board.pty().map(p -> " -> " + p).orElse(""));
        out.println("  serial log " + board.serialLog());
        out.println("  qmp       " + board.qmpSocket());
    }
}
