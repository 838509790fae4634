package org.kernelrig.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.kernelrig.report.RunReport.PhaseRecord;

/** The phases of a run as they happen, each with its start, duration and how it ended. */
final class RunPhases {

    private final List<PhaseRecord> done = new ArrayList<>();
    private final RunListener listener;
    private final RunLog log;
    private Phase current;
    private Instant started;

    RunPhases(RunListener listener, RunLog log) {
        this.listener = listener;
        this.log = log;
    }

    synchronized void begin(Phase phase) {
        if (current != null) {
            end("ok", null);
        }
        current = phase;
        started = Instant.now();
        log.write("phase " + phase + " started");
        listener.phaseStarted(phase.id());
    }

    synchronized void ok(String detail) {
        end("ok", detail);
    }

    synchronized void fail(String status, String detail) {
        end(status, detail);
    }

    private void end(String status, String detail) {
        if (current == null) {
            return;
        }
        Duration took = Duration.between(started, Instant.now());
        done.add(new PhaseRecord(current.id(), started, took, status, detail));
        log.write(String.format(java.util.Locale.ROOT, "phase %s %s after %.3f s%s", current, status,
                took.toMillis() / 1000.0, detail == null ? "" : ": " + detail));
        listener.phaseEnded(current.id(), took, status, detail);
        current = null;
    }

    /** The phase under way, or null. */
    synchronized Phase current() {
        return current;
    }

    synchronized List<PhaseRecord> records() {
        return List.copyOf(done);
    }
}
