package org.kernelrig.patient;

import java.time.Duration;

import org.kernelrig.LabException;

/**
 * What a command on the patient did. Output is bounded: a board is not
 * trusted to send a reasonable amount.
 *
 * @param truncated true when stdout or stderr went over the bound and was cut
 */
public record CommandResult(String command, int exitStatus, String stdout, String stderr, Duration took,
        boolean truncated) {

    public boolean ok() {
        return exitStatus == 0;
    }

    /** stdout without its trailing newline. */
    public String output() {
        return stdout.stripTrailing();
    }

    /** This result when the command succeeded; otherwise a lab error saying what failed and what it printed. */
    public CommandResult requireOk(String board, String what) throws LabException {
        if (ok()) {
            return this;
        }
        String said = stderr.isBlank() ? stdout.strip() : stderr.strip();
        throw new LabException("board " + board + ": " + what + " failed (exit status " + exitStatus + ")"
                + (said.isEmpty() ? "" : ": " + firstLines(said, 5)), "the command was: " + command);
    }

    private static String firstLines(String text, int count) {
        return text.lines().limit(count).reduce((a, b) -> a + "\n  " + b).orElse("");
    }
}
