package org.kernelrig.run;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.scenario.Scenario;

/**
 * The kernel a run must test: the scenario's {@code kernel.release} and
 * {@code kernel.version} patterns, and the kernel under test when there is
 * one. Another kernel on the board is the lab's error, not the kernel's.
 */
final class ExpectedKernel {

    private ExpectedKernel() {
    }

    /** @param kernel the kernel under test, or null */
    static void check(Scenario scenario, Board board, KernelUnderTest kernel, PatientFacts found) throws LabException {
        if (scenario.kernelRelease() != null && !scenario.kernelRelease().matcher(found.release()).find()) {
            throw new LabException("board " + board.name() + " runs kernel " + found.release()
                    + ", which does not match kernel.release /" + scenario.kernelRelease().pattern() + "/",
                    "boot the kernel under test first");
        }
        if (scenario.kernelVersion() != null && !scenario.kernelVersion().matcher(found.version()).find()) {
            throw new LabException("board " + board.name() + " runs kernel version " + found.version()
                    + ", which does not match kernel.version /" + scenario.kernelVersion().pattern() + "/");
        }
        if (kernel != null) {
            String mismatch = kernel.mismatch(found.release(), found.version());
            if (mismatch != null) {
                throw new LabException("board " + board.name() + " does not run the kernel under test: " + mismatch);
            }
        }
    }
}
