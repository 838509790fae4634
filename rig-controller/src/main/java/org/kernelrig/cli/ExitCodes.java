package org.kernelrig.cli;

/** rig's exit codes; {@code git bisect run} skips a commit on 125. */
public final class ExitCodes {

    /** Success: the command did its job, or the kernel did what the scenario expects. */
    public static final int OK = 0;
    /** A test outcome of fail: the kernel did not do what the scenario expects. */
    public static final int FAIL = 1;
    /** Bad usage or invalid files. */
    public static final int INVALID = 2;
    /** The lab failed (board, power switch, network), not the kernel. */
    public static final int LAB_ERROR = 125;

    private ExitCodes() {
    }
}
