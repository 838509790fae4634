package org.kernelrig.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.Wait;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.crash.Crash;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.inventory.Board;
import org.kernelrig.patient.CommandResult;
import org.kernelrig.patient.Patient;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.Trigger;

/**
 * The trigger and the capture after it: the trigger's target checked
 * first, then its command handed to the board between two markers, then
 * the witnesses watched until the trace is complete and the console quiet.
 */
final class CrashCapture {

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
    private static final Duration SILENCE_POLL = Duration.ofSeconds(1);

    private final Scenario scenario;
    private final Board board;
    private final Witnesses witnesses;
    private final String runId;
    private CaptureWatch watch;
    private int triggerEntry = Integer.MAX_VALUE;
    private int captureEnd;
    private List<Crash> crashes = List.of();
    private Instant lastTraceLine;

    CrashCapture(Scenario scenario, Board board, Witnesses witnesses, String runId) {
        this.scenario = scenario;
        this.board = board;
        this.witnesses = witnesses;
        this.runId = runId;
    }

    /** The line the trigger writes to the kernel log first: what comes after it is this run's. */
    String startMarker() {
        return "trigger " + runId;
    }

    /** Checks the trigger's target, then hands its command to the board; says what it triggered. */
    String trigger(Patient patient) throws LabException {
        CommandResult check = patient.runAsRoot(TriggerScript.preflight(scenario.trigger()), COMMAND_LIMIT);
        if (scenario.trigger() instanceof Trigger.UsbStorageWrite write) {
            String refusal = UsbDiskCheck.judge(write.device(), check.stdout(), write.expectedSize());
            if (refusal != null) {
                throw new LabException("board " + board.name() + ": refusing to write: " + refusal,
                        "nothing was written; fix trigger.usb-storage-write.device in " + scenario.file());
            }
        } else if (!check.ok()) {
            throw new LabException("board " + board.name() + ": cannot trigger " + scenario.trigger().describe()
                    + ": " + check.stdout().strip());
        }
        String marker = "trigger finished " + runId;
        watch = new CaptureWatch(witnesses.timeline, marker);
        witnesses.watchWith(watch);
        triggerEntry = witnesses.timeline.size();
        patient.launchAsRoot(TriggerScript.command(scenario.trigger(), startMarker(), marker));
        return TriggerScript.describe(scenario.trigger());
    }

    /** Captures until the crash is over; says how it ended and how many crashes it saw. */
    String capture(BoardLifecycle board, Consumer<String> warn) throws InterruptedException {
        CaptureWatch.Ending ending = witnesses.live()
                ? watch.await(scenario.limits().capture(), scenario.limits().quietAfterTrace())
                : awaitSilence(board);
        watch.stop();
        crashes = watch.crashes().stream().filter(c -> c.firstLine() > triggerEntry).toList();
        watch.crashes().stream().filter(c -> c.firstLine() <= triggerEntry)
                .forEach(c -> warn.accept("the kernel crashed before the trigger: " + c.title()));
        List<TimelineEntry> entries = witnesses.timeline.entries();
        crashes.stream().mapToInt(Crash::lastLine).max()
                .ifPresent(last -> lastTraceLine = entries.get(Math.min(last, entries.size()) - 1).arrival());
        captureEnd = witnesses.timeline.size();
        String how = switch (ending) {
            case TRACE_COMPLETE -> "trace complete";
            case TRIGGER_FINISHED -> "trigger finished";
            case BOARD_SILENT -> "no live witness; the board stopped answering";
            case CAPTURE_LIMIT -> "capture limit of " + scenario.limits().capture().toSeconds() + " s reached";
            case INTERRUPTED -> "interrupted";
        };
        long lost = witnesses.lostBeforeRead();
        return how + "; " + crashes.size() + " crash" + (crashes.size() == 1 ? "" : "es")
                + (lost > 0 ? "; " + Verdict.lossNote(lost) : "");
    }

    /** Warns when the doctor's socket dropped datagrams during the capture. */
    void warnOfLoss(Consumer<String> warn) {
        long lost = witnesses.lostBeforeRead();
        if (lost > 0) {
            warn.accept("netconsole " + Verdict.lossNote(lost) + ": the trace may lack lines (the serial console and "
                    + "pstore may have them)");
        }
    }

    /**
     * With no live witness, nothing tells when the crash is over: the
     * capture ends when the board stops answering (the crash took it),
     * else at the capture limit; pstore may tell the rest after the reboot.
     */
    private CaptureWatch.Ending awaitSilence(BoardLifecycle board) throws InterruptedException {
        return Wait.upTo(scenario.limits().capture(), "board " + this.board.name() + " to stop answering")
                .poll(SILENCE_POLL, () -> !board.answers()
                        ? CaptureWatch.Ending.BOARD_SILENT : null)
                .orElse(CaptureWatch.Ending.CAPTURE_LIMIT);
    }

    /** The crashes after the trigger, as the live witnesses showed them. */
    List<Crash> crashes() {
        return crashes;
    }

    /** The crashes after the trigger on the console merged with what pstore recovered. */
    List<Crash> crashesOnMergedConsole() {
        crashes = MergedAnalysis.crashesAfter(witnesses.timeline.entries(), captureEnd, triggerEntry);
        return crashes;
    }

    /** When the last line of this run's crash traces arrived, or null. */
    Instant lastTraceLine() {
        return lastTraceLine;
    }
}
