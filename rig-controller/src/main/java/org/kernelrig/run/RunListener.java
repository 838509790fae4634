package org.kernelrig.run;

import java.time.Duration;

import org.kernelrig.console.ConsoleLine;

/** What a run tells whoever shows its progress; every method may be called from any thread. */
public interface RunListener {

    default void phaseStarted(String phase) {
    }

    default void phaseEnded(String phase, Duration took, String status, String detail) {
    }

    /** A message worth showing (also written to run.log). */
    default void note(String message) {
    }

    /** One more line arrived from a witness. */
    default void lineReceived(ConsoleLine.Source source) {
    }

    RunListener SILENT = new RunListener() {
    };
}
