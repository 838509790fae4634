package org.kernelrig;

/**
 * The lab failed, not the kernel: a board that cannot be reached, a power
 * switch that does not answer, a netconsole path that never came up. A run
 * that ends with one is an error (exit 125), never a kernel failure.
 */
public class LabException extends Exception {

    private final String hint;

    public LabException(String message) {
        this(message, null, null);
    }

    public LabException(String message, String hint) {
        this(message, hint, null);
    }

    public LabException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }
}
