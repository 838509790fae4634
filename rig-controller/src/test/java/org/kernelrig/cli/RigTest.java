package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RigTest {

    @Test
    void helpListsCommandsAndExitCodes() {
        RigRunner.Result result = RigRunner.run("--help");

        assertEquals(0, result.exitCode());
        for (String text : new String[] {"boards", "check", "Exit codes:", "125", "git bisect"}) {
            assertTrue(result.out().contains(text), text + " in\n" + result.out());
        }
    }

    @Test
    void everyCommandAnswersHelp() {
        // picocli's own help command prints its usage differently.
        for (String command : Rig.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help"))
                .toList()) {
            RigRunner.Result result = RigRunner.run(command, "--help");

            assertEquals(0, result.exitCode(), command + ": " + result.err());
            assertTrue(result.out().startsWith("Usage: rig " + command), command + ": " + result.out());
        }
    }

    @Test
    void versionNamesRig() {
        RigRunner.Result result = RigRunner.run("--version");

        assertEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("rig "), result.out());
    }

    @Test
    void unknownOptionIsBadUsage() {
        RigRunner.Result result = RigRunner.run("boards", "--jsno");

        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().contains("--jsno"), result.err());
    }

    @Test
    void missingInventoryIsInvalidInputWithAHint() {
        RigRunner.Result result = RigRunner.run("boards", "--inventory", "/nonexistent/rig-inventory");

        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().startsWith("/nonexistent/rig-inventory: inventory folder not found"), result.err());
        assertTrue(result.err().contains("--inventory"), result.err());
    }

    @Test
    void anInvalidBoardFileMakesTheListingFailWithItsPlace(@TempDir Path inventory) throws IOException {
        Files.writeString(inventory.resolve("pi.yaml"), "ssh:\n  host: 10.1.1.1\npower:\n  driver: lcus\n  device: /dev/ttyUSB0\n  channel: 0\n");

        RigRunner.Result result = RigRunner.run("boards", "--inventory", inventory.toString());

        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().contains("pi.yaml:6:12: power.channel must be 1..8, got 0"), result.err());
    }

    @Test
    void stackTraceOnlyWithVerbose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("odd.yaml");
        Files.writeString(file, "colour: blue\n");

        RigRunner.Result quiet = RigRunner.run("check", file.toString());
        RigRunner.Result verbose = RigRunner.run("check", "--verbose", file.toString());

        assertEquals(ExitCodes.INVALID, quiet.exitCode());
        assertTrue(quiet.err().contains("cannot tell whether this is a board or a scenario file"), quiet.err());
        assertFalse(quiet.err().contains("\tat "));
        assertEquals(ExitCodes.INVALID, verbose.exitCode());
    }

    @Test
    void asOptionForcesTheKind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("panic.yaml");
        Files.writeString(file, "trigger: {sysrq: c}\nexpect: {crash: panic}\n");

        RigRunner.Result result = RigRunner.run("check", "--as", "board", file.toString());

        assertEquals(ExitCodes.INVALID, result.exitCode());
        assertTrue(result.err().contains("unknown key 'trigger' in board"), result.err());
    }
}
