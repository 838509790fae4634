package org.kernelrig.board;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run brings a crashed board back, in the order to try. Crash records
 * kept in RAM (ramoops) survive a reboot or a warm reset but not a power cut,
 * so a power cycle comes last, after the kernel had its chance to reboot
 * itself; records in firmware variables (EFI) or none leave the power cycle,
 * the most thorough reset, as the way back.
 */
record RecoveryPlan(List<Step> steps) {

    /** One way back. */
    enum Step {
        /** The kernel reboots itself after {@code panic} seconds. */
        KERNEL_REBOOT("kernel reboot"),
        /** The board's switch resets it without cutting power (QMP system_reset, a reset command). */
        WARM_RESET("warm reset"),
        /** The system still answers: it reboots without cutting power. */
        SYSTEM_REBOOT("reboot"),
        /** Nothing answers: wait for the running watchdog to reset the board. */
        WATCHDOG_REBOOT("watchdog reboot"),
        POWER_CYCLE("power-cycle");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    /**
     * @param panicked      the kernel panicked (it will not go on by itself)
     * @param alive         the board still runs commands over SSH
     * @param recordsInRam  its pstore backend keeps records in RAM (ramoops)
     * @param panicTimeout  the kernel's {@code panic} setting: seconds before it reboots, 0 never, negative at once
     * @param canReset      the power switch can reset the board warm
     * @param watchdog      a hardware watchdog runs, which resets a board that hangs
     */
    static RecoveryPlan choose(boolean panicked, boolean alive, boolean recordsInRam, int panicTimeout,
            boolean canReset, boolean watchdog) {
        List<Step> steps = new ArrayList<>();
        if (panicked && panicTimeout != 0) {
            steps.add(Step.KERNEL_REBOOT);
        }
        if (recordsInRam) {
            if (canReset) {
                steps.add(Step.WARM_RESET);
            } else if (alive) {
                steps.add(Step.SYSTEM_REBOOT);
            } else if (watchdog && !steps.contains(Step.KERNEL_REBOOT)) {
                steps.add(Step.WATCHDOG_REBOOT);
            }
        }
        steps.add(Step.POWER_CYCLE);
        return new RecoveryPlan(List.copyOf(steps));
    }
}
