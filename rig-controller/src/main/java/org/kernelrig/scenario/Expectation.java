package org.kernelrig.scenario;

import java.util.regex.Pattern;

import org.kernelrig.crash.CrashKind;

/** What the kernel should do when the scenario is run. */
public sealed interface Expectation {

    String describe();

    /** The kernel survives: any crash is a fail. */
    record NoCrash() implements Expectation {
        public String describe() {
            return "no crash";
        }
    }

    /** A crash of this kind, with a title matching {@code title} when given (null: any title). */
    record Crash(CrashKind kind, Pattern title) implements Expectation {
        public String describe() {
            return kind.id() + " crash" + (title == null ? "" : " titled /" + title.pattern() + "/");
        }
    }
}
