package org.kernelrig.run;

import java.time.Duration;
import java.util.List;

import org.kernelrig.console.Timeline;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;

/**
 * Watches the merged console after the trigger and says when the capture
 * can stop: a crash trace is complete (or the trigger said it finished with
 * no crash under way) and the console has been quiet for the scenario's
 * quiet period. The analyzer reads each timeline entry once, so its line
 * numbers are the entries' indexes.
 */
final class CaptureWatch {

    /** Why a capture ended. */
    enum Ending { TRACE_COMPLETE, TRIGGER_FINISHED, BOARD_SILENT, CAPTURE_LIMIT, INTERRUPTED }

    private final CrashAnalyzer analyzer = new CrashAnalyzer();
    private final String finishedMarker;
    private final Object lock = new Object();
    private long lastActivity = System.nanoTime();
    private boolean traceComplete;
    private boolean triggerFinished;
    private int fed;
    private boolean stopped;

    /** @param finishedMarker the text the trigger writes to the kernel log when its command returns */
    CaptureWatch(Timeline timeline, String finishedMarker) {
        this.finishedMarker = finishedMarker;
        for (TimelineEntry entry : timeline.entries()) {
            accept(entry);
        }
        timeline.subscribe(this::accept);
    }

    private void accept(TimelineEntry entry) {
        synchronized (lock) {
            if (stopped || entry.index() <= fed) {
                return;
            }
            fed = entry.index();
            List<Crash> completed = analyzer.accept(entry.text());
            if (!completed.isEmpty()) {
                traceComplete = true;
            }
            if (finishedMarker != null && entry.text().contains(finishedMarker)) {
                triggerFinished = true;
            }
            lastActivity = System.nanoTime();
            lock.notifyAll();
        }
    }

    /** Any line from any witness, including one the timeline merged away, keeps the console busy. */
    void activity() {
        synchronized (lock) {
            lastActivity = System.nanoTime();
        }
    }

    /** Waits for the end of the capture; no fixed sleep, the console's own pace decides. */
    Ending await(Duration limit, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (true) {
                long now = System.nanoTime();
                boolean crashOpen = analyzer.crashes().stream().anyMatch(c -> !c.complete());
                boolean quietEnough = now - lastActivity >= quiet.toNanos();
                if (quietEnough && traceComplete && !crashOpen) {
                    return Ending.TRACE_COMPLETE;
                }
                if (quietEnough && triggerFinished && !crashOpen) {
                    return traceComplete ? Ending.TRACE_COMPLETE : Ending.TRIGGER_FINISHED;
                }
                if (now >= deadline) {
                    return Ending.CAPTURE_LIMIT;
                }
                long untilQuiet = lastActivity + quiet.toNanos() - now;
                long wait = Math.min(deadline - now, Math.max(untilQuiet, Duration.ofMillis(50).toNanos()));
                lock.wait(Math.max(1, wait / 1_000_000));
            }
        }
    }

    /** Stops reading: what the board prints from now on (its reboot) is not part of this capture. */
    void stop() {
        synchronized (lock) {
            stopped = true;
        }
    }

    /** Every crash found, the open ones closed as they are. */
    List<Crash> crashes() {
        synchronized (lock) {
            return analyzer.crashes();
        }
    }

    boolean triggerFinished() {
        synchronized (lock) {
            return triggerFinished;
        }
    }
}
