package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kernelrig.run.RecoveryPlan.Step;

/** The way back from a crash keeps RAM-held crash records whenever the board allows it. */
class RecoveryPlanTest {

    @Test
    void recordsInRamAreKeptByAWarmResetWhereTheSwitchCanDoIt() {
        assertEquals(List.of(Step.WARM_RESET, Step.POWER_CYCLE), RecoveryPlan.choose(true, false, true, 0, true).steps());
    }

    @Test
    void aKernelThatRebootsItselfIsWaitedForBeforeAnythingElse() {
        assertEquals(List.of(Step.KERNEL_REBOOT, Step.WARM_RESET, Step.POWER_CYCLE),
                RecoveryPlan.choose(true, false, true, 10, true).steps());
        assertEquals(List.of(Step.KERNEL_REBOOT, Step.POWER_CYCLE), RecoveryPlan.choose(true, false, false, -1, false).steps());
    }

    @Test
    void withoutAResetADeadBoardGetsItsWatchdogsChanceAndALiveOneReboots() {
        assertEquals(List.of(Step.WATCHDOG_REBOOT, Step.POWER_CYCLE), RecoveryPlan.choose(true, false, true, 0, false).steps());
        assertEquals(List.of(Step.SYSTEM_REBOOT, Step.POWER_CYCLE), RecoveryPlan.choose(false, true, true, 0, false).steps());
    }

    @Test
    void recordsInFirmwareOrNoneLeaveThePowerCycle() {
        assertEquals(List.of(Step.POWER_CYCLE), RecoveryPlan.choose(true, false, false, 0, true).steps());
        assertEquals(List.of(Step.POWER_CYCLE), RecoveryPlan.choose(false, true, false, 0, true).steps());
    }

    @Test
    void theBootStateIsReadFromTheBoardsFiles() {
        BootState ramoops = BootState.parse("3f1c44a2-6a55-4f0e-9d6b-0b8f3d1d2a10\n\n0\n\nramoops\n");
        assertEquals("3f1c44a2-6a55-4f0e-9d6b-0b8f3d1d2a10", ramoops.bootId());
        assertEquals(0, ramoops.panicTimeout());
        assertTrue(ramoops.recordsInRam());
        BootState efi = BootState.parse("3f1c44a2-6a55-4f0e-9d6b-0b8f3d1d2a10\n\n-1\n\nefi_pstore\n");
        assertEquals(-1, efi.panicTimeout());
        assertFalse(efi.recordsInRam());
        BootState none = BootState.parse("3f1c44a2-6a55-4f0e-9d6b-0b8f3d1d2a10\n\n10\n\n");
        assertEquals(10, none.panicTimeout());
        assertNull(none.pstoreBackend());
        assertNull(BootState.parse("cat: can't open\n").bootId());
    }
}
