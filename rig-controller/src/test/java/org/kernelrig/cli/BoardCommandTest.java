package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code rig board}: the answers that need no running board. */
class BoardCommandTest {

    record Outcome(int exitCode, String out, String err) {
    }

    static Outcome rig(String... args) {
        CommandLine commandLine = Rig.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownBoardIsBadInputNamingTheBoardsThereAre() {
        Outcome outcome = rig("board", "status", "qemu-x86", "--inventory", "../inventory");
        assertEquals(ExitCodes.INVALID, outcome.exitCode());
        assertTrue(outcome.err().contains("board 'qemu-x86' is not in the inventory"), outcome.err());
        assertTrue(outcome.err().contains("boards: qemu-x86_64"), outcome.err());
    }

    @Test
    void aPhysicalBoardIsBadInput() {
        Outcome outcome = rig("board", "start", "bench-pi4", "--inventory", "../inventory/examples");
        assertEquals(ExitCodes.INVALID, outcome.exitCode());
        assertTrue(outcome.err().contains("bench-pi4 is a physical board"), outcome.err());
    }

    @Test
    void anInstanceOutOfRangeIsBadInput() {
        Outcome outcome = rig("board", "status", "qemu-x86_64", "--instance", "64", "--inventory", "../inventory");
        assertEquals(ExitCodes.INVALID, outcome.exitCode());
        assertTrue(outcome.err().contains("--instance must be 0..63, got 64"), outcome.err());
    }

    @Test
    void aMissingKernelFileIsALabError() {
        Outcome outcome = rig("board", "prepare", "qemu-x86_64", "--kernel", "/nonexistent/bzImage",
                "--inventory", "../inventory");
        assertEquals(ExitCodes.LAB_ERROR, outcome.exitCode());
        assertTrue(outcome.err().contains("kernel /nonexistent/bzImage not found"), outcome.err());
    }
}
