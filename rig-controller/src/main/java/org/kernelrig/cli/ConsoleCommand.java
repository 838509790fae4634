package org.kernelrig.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.kernelrig.LabException;
import org.kernelrig.board.LabBoards;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.inventory.SerialSettings;
import org.kernelrig.serial.Framing;
import org.kernelrig.serial.SerialConsole;
import org.kernelrig.serial.SerialLink;
import org.kernelrig.serial.SerialPortLink;
import org.kernelrig.serial.TerminalSanitizer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code rig console BOARD}: the board's serial console, live and logged, until Ctrl-C. */
@Command(name = "console", mixinStandardHelpOptions = true, description = {
    "Show a board's serial console live and log every byte to a file, until Ctrl-C.",
    "Read-only: nothing is sent to the board. A port that goes away (board powered off) is reopened."})
final class ConsoleCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BOARD", description = "The board's name in the inventory.")
    String boardName;

    @Option(names = "--device", paramLabel = "PATH",
            description = "Read this serial port instead of the inventory's (a virtual board's pty, e.g. /dev/pts/5).")
    Path device;

    @Option(names = "--baud", paramLabel = "RATE", description = "The speed for --device (default: the board's, else 115200).")
    Integer baud;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Where to log (default: reports/console-BOARD-TIME.log).")
    Path log;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long instead of waiting for Ctrl-C.")
    Duration duration;

    @Option(names = "--raw", description = "Show every escape sequence the board sends (default: only colours and "
            + "cursor movement; titles, clipboard and other terminal settings are kept out).")
    boolean raw;

    @Mixin
    InventoryOption inventory;

    @Spec
    CommandSpec spec;

    /** Where the console is shown. */
    OutputStream terminal = System.out;

    @Override
    public Integer call() throws Exception {
        Board board = inventory.board(boardName, spec);
        Path logFile = log != null ? log : defaultLog(board.name());
        SerialConsole console = new SerialConsole(board.name(), link(board), logFile);
        TerminalSanitizer sanitizer = new TerminalSanitizer();
        console.tapRaw(bytes -> show(raw ? bytes : sanitizer.sanitize(bytes, bytes.length)));

        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                console.close();
                err.println();
                err.println("rig: " + console.bytesReceived() + " bytes logged to " + Inventory.displayName(logFile)
                        + (console.gaps().isEmpty() ? "" : "; the port was lost " + console.gaps().size()
                                + (console.gaps().size() == 1 ? " time" : " times")));
                err.flush();
            }
        };
        Thread hook = new Thread(() -> {
            finish.run();
            interrupted.countDown();
        }, "console-ctrl-c");
        console.start();
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("rig: console of board " + board.name() + ": " + console.describe() + "; logging to "
                + Inventory.displayName(logFile) + (duration == null ? "; Ctrl-C to leave" : ""));
        err.flush();
        if (duration != null) {
            interrupted.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            interrupted.await();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook finishes the console
        }
        finish.run();
        return ExitCodes.OK;
    }

    private SerialLink link(Board board) throws Exception {
        SerialSettings settings = board.serialConsole().orElse(null);
        if (device != null) {
            int speed = baud != null ? baud
                    : settings instanceof SerialSettings.Device d ? d.baud() : SerialSettings.Device.DEFAULT_BAUD;
            Framing framing = settings instanceof SerialSettings.Device d ? Framing.parse(d.framing())
                    : Framing.EIGHT_N_ONE;
            return new SerialPortLink(device, speed, framing);
        }
        if (baud != null) {
            throw usage("--baud applies only with --device; the inventory gives board " + board.name() + "'s speed");
        }
        if (settings instanceof SerialSettings.Virtual) {
            Path console = LabBoards.runningVirtualConsole(board).orElse(null);
            if (console == null) {
                throw new LabException("board " + board.name() + " is virtual and not running: its serial console "
                        + "exists while its QEMU runs", "switch it on first: rig power " + board.name() + " on");
            }
            return new SerialPortLink(console, SerialSettings.Device.DEFAULT_BAUD, Framing.EIGHT_N_ONE);
        }
        return SerialConsole.linkFor(board);
    }

    private void show(byte[] bytes) {
        try {
            terminal.write(bytes);
            terminal.flush();
        } catch (IOException e) {
            // the terminal went away; the log keeps everything
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static Path defaultLog(String board) {
        String home = System.getenv("RIG_HOME");
        Path reports = home != null && !home.isBlank() ? Path.of(home, "reports") : Path.of("reports");
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return reports.resolve("console-" + board + "-" + time + ".log");
    }
}
