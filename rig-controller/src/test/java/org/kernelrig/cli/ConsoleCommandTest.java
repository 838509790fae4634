package org.kernelrig.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.testing.PseudoTerminalPair;

import picocli.CommandLine;

/** {@code rig console} on a socat pseudo-terminal standing in for the board's UART. */
class ConsoleCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    private int rig(String... args) {
        CommandLine rig = Rig.commandLine();
        rig.setOut(new PrintWriter(out, true));
        rig.setErr(new PrintWriter(err, true));
        ((ConsoleCommand) rig.getSubcommands().get("console").getCommand()).terminal = terminal;
        return rig.execute(args);
    }

    private Path inventory(String serial) throws IOException {
        Path inventory = dir.resolve("inventory");
        Files.createDirectories(inventory);
        Files.writeString(inventory.resolve("pi4.yaml"), """
                ssh:
                  host: 192.0.2.10
                netconsole:
                  interface: eth0
                %s
                power:
                  driver: manual
                """.formatted(serial));
        return inventory;
    }

    @Test
    void showsTheConsoleLiveAndLogsEveryByte() throws Exception {
        try (PseudoTerminalPair pair = PseudoTerminalPair.start(dir.resolve("board"), dir.resolve("ttyUSB0"))) {
            Path inventory = inventory("serial:\n  device: " + pair.rigEnd() + "\n  baud: 115200");
            Path log = dir.resolve("console.log");
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> rig("console", "pi4", "--for", "3s",
                    "--log", log.toString(), "--inventory", inventory.toString()));
            await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("rig: console of board") || exit.isDone());
            byte[] board = "\u001b]0;pwned\u0007\u001b[1;31mKernel panic\u001b[0m\r\nlogin: ".getBytes(StandardCharsets.UTF_8);
            try (FileOutputStream uart = new FileOutputStream(pair.boardEnd().toFile())) {
                uart.write(board);
            }
            assertEquals(0, exit.get());
            assertEquals(new String(board, StandardCharsets.UTF_8), Files.readString(log), "the log keeps every byte");
            assertEquals("\u001b[1;31mKernel panic\u001b[0m\r\nlogin: ", terminal.toString(StandardCharsets.UTF_8),
                    "the terminal gets the text and colours, not the title sequence");
            assertTrue(err.toString().startsWith("rig: console of board pi4: " + pair.rigEnd() + " at 115200 8N1; "
                    + "logging to " + log), err.toString());
            assertTrue(err.toString().contains("rig: " + board.length + " bytes logged to " + log), err.toString());
        }
    }

    @Test
    void aVirtualBoardThatDoesNotRunHasNoConsole() throws Exception {
        Path inventory = dir.resolve("inventory");
        Files.createDirectories(inventory);
        // A board name of its own: no instance of it was ever started.
        Files.copy(Path.of("../inventory/qemu-x86_64.yaml"), inventory.resolve("qemu-never-started.yaml"));
        assertEquals(125, rig("console", "qemu-never-started", "--inventory", inventory.toString()));
        assertTrue(err.toString().startsWith("rig: error: board qemu-never-started is virtual and not running"),
                err.toString());
        assertTrue(err.toString().contains("rig power qemu-never-started on"), err.toString());
    }

    @Test
    void aMissingPortIsALabError() throws Exception {
        Path inventory = inventory("serial:\n  device: " + dir.resolve("by-id/usb-FTDI-gone"));
        assertEquals(125, rig("console", "pi4", "--log", dir.resolve("c.log").toString(), "--inventory",
                inventory.toString()));
        assertTrue(err.toString().startsWith("rig: error: board pi4: cannot open the serial console "
                + dir.resolve("by-id/usb-FTDI-gone")), err.toString());
    }
}
