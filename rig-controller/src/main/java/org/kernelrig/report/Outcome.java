package org.kernelrig.report;

/** How a run ended. Never mixed up: a lab failure is never reported as the kernel's. Each owns its exit code. */
public enum Outcome {
    /** The kernel did what the scenario expects. */
    PASS(0),
    /** The kernel did not: an unexpected crash, another kind, or an expected crash missing. */
    FAIL(1),
    /** The lab failed: board unreachable, power switch error, netconsole never came up, board did not come back. */
    ERROR(125);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The worse of two outcomes, for a suite: fail over error over pass. */
    public Outcome worse(Outcome other) {
        if (this == FAIL || other == FAIL) {
            return FAIL;
        }
        return this == ERROR || other == ERROR ? ERROR : PASS;
    }
}
