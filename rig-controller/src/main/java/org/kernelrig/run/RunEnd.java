package org.kernelrig.run;

import org.kernelrig.LabException;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;

/**
 * How a run ended and why: a lab error, an interrupt (naming the phase it
 * stopped), a kernel under test that did not boot, or else the verdict on
 * what the witnesses saw. The first of these to happen is the one reported.
 */
final class RunEnd {

    private final RunPhases phases;
    private final RunLog log;
    private Outcome outcome;
    private String reason;
    private Phase interruptedPhase;

    RunEnd(RunPhases phases, RunLog log) {
        this.phases = phases;
        this.log = log;
    }

    /** The lab failed in the phase under way; while interrupting, the interrupt is what ended the run. */
    void labError(LabException e, boolean interrupting) {
        if (interrupting) {
            interrupted();
            return;
        }
        outcome = Outcome.ERROR;
        reason = e.getMessage() + (e.hint() == null ? "" : "\n" + e.hint());
        Phase phase = phases.current();
        phases.fail("failed", e.getMessage());
        log.write("error" + (phase == null ? "" : " in phase " + phase) + ": " + reason);
    }

    void interrupted() {
        interruptedPhase = phases.current();
        outcome = Outcome.ERROR;
        reason = "interrupted" + (interruptedPhase == null ? "" : " during phase " + interruptedPhase);
        phases.fail("interrupted", null);
        Thread.interrupted();
        log.write(reason);
    }

    /** The kernel under test did not boot: the kernel's failure. */
    void kernelFailed(String why) {
        outcome = Outcome.FAIL;
        reason = why;
        phases.fail("failed", why);
        log.write("fail in phase kernel: " + reason);
    }

    /**
     * The verdict, unless something ended the run before; a pass becomes an
     * error when the board did not come back.
     *
     * @param lost datagrams the doctor's socket dropped, -1 when unknown
     */
    void judged(Verdict verdict, long lost, RunReport.Recovery recovery) {
        if (outcome != null) {
            return;
        }
        outcome = verdict.outcome();
        reason = verdict.withNetconsoleLoss(lost).reason();
        if (recovery != null && !recovery.boardBack() && outcome == Outcome.PASS) {
            outcome = Outcome.ERROR;
        }
    }

    Outcome outcome() {
        return outcome;
    }

    String reason() {
        return reason;
    }

    /** The phase an interrupt stopped, or null. */
    Phase interruptedPhase() {
        return interruptedPhase;
    }
}
