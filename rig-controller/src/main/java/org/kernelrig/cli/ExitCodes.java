package org.kernelrig.cli;

import org.kernelrig.report.Outcome;

/**
 * rig's exit codes, all of them: those of an outcome are the outcome's (a
 * suite's summary.json records them too), the rest of the commands use the
 * same. {@code git bisect run} skips a commit on 125.
 */
public final class ExitCodes {

    /** Success: the command did its job, or the kernel did what the scenario expects. */
    public static final int OK = Outcome.PASS.exitCode();
    /** A test outcome of fail: the kernel did not do what the scenario expects. */
    public static final int FAIL = Outcome.FAIL.exitCode();
    /** Bad usage or invalid files. */
    public static final int INVALID = 2;
    /** The lab failed (board, power switch, network), not the kernel. */
    public static final int LAB_ERROR = Outcome.ERROR.exitCode();

    private ExitCodes() {
    }

    /** The exit code of a run or suite that ended so. */
    public static int of(Outcome outcome) {
        return outcome.exitCode();
    }
}
