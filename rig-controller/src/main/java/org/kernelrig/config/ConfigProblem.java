package org.kernelrig.config;

/**
 * One defect in a configuration file: where it is, what is wrong, and
 * (when there is something useful to say) what to do about it.
 */
public record ConfigProblem(Location location, String message, String hint) {

    public ConfigProblem {
        if (hint != null && hint.isBlank()) {
            hint = null;
        }
    }

    /** {@code file:line:column: message}, with the hint on an indented second line. */
    public String render() {
        return hint == null ? location + ": " + message : location + ": " + message + "\n  " + hint;
    }

    @Override
    public String toString() {
        return render();
    }
}
