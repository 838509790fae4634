package org.kernelrig.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kernelrig.board.RecoveryPlan.Step;

/** The way back from a crash keeps RAM-held crash records whenever the board allows it. */
class RecoveryPlanTest {

    @Test
    void recordsInRamAreKeptByAWarmResetWhereTheSwitchCanDoIt() {
        assertEquals(List.of(Step.WARM_RESET, Step.POWER_CYCLE), RecoveryPlan.choose(true, false, true, 0, true, true).steps());
    }

    @Test
    void aKernelThatRebootsItselfIsWaitedForBeforeAnythingElse() {
        assertEquals(List.of(Step.KERNEL_REBOOT, Step.WARM_RESET, Step.POWER_CYCLE),
                RecoveryPlan.choose(true, false, true, 10, true, true).steps());
        assertEquals(List.of(Step.KERNEL_REBOOT, Step.POWER_CYCLE), RecoveryPlan.choose(true, false, false, -1, false, true).steps());
    }

    @Test
    void withoutAResetADeadBoardGetsItsWatchdogsChanceAndALiveOneReboots() {
        assertEquals(List.of(Step.WATCHDOG_REBOOT, Step.POWER_CYCLE), RecoveryPlan.choose(true, false, true, 0, false, true).steps());
        assertEquals(List.of(Step.SYSTEM_REBOOT, Step.POWER_CYCLE), RecoveryPlan.choose(false, true, true, 0, false, true).steps());
    }

    @Test
    void withoutWatchdogNothingWillRestartADeadBoardSoThePowerIsCutAtOnce() {
        assertEquals(List.of(Step.POWER_CYCLE), RecoveryPlan.choose(true, false, true, 0, false, false).steps());
    }

    @Test
    void recordsInFirmwareOrNoneLeaveThePowerCycle() {
        assertEquals(List.of(Step.POWER_CYCLE), RecoveryPlan.choose(true, false, false, 0, true, true).steps());
        assertEquals(List.of(Step.POWER_CYCLE), RecoveryPlan.choose(false, true, false, 0, true, true).steps());
    }

    @Test
    void theBootStateIsReadFromTheBoardsFiles() {
        String id = "3f1c44a2-6a55-4f0e-9d6b-0b8f3d1d2a10";
        BootState ramoops = BootState.parse("boot " + id + "\npanic 0\nbackend ramoops\n");
        assertEquals(id, ramoops.bootId());
        assertEquals(0, ramoops.panicTimeout());
        assertTrue(ramoops.recordsInRam());
        assertFalse(ramoops.watchdog());
        BootState efi = BootState.parse("boot " + id + "\npanic -1\nbackend efi\nwatchdog inactive\n");
        assertEquals(-1, efi.panicTimeout());
        assertFalse(efi.recordsInRam());
        assertFalse(efi.watchdog());
        BootState guarded = BootState.parse("boot " + id + "\npanic 0\nbackend\nwatchdog inactive\nwatchdog active\n");
        assertTrue(guarded.watchdog());
        assertNull(guarded.pstoreBackend(), "no backend: the backend file is empty");
        BootState none = BootState.parse("boot " + id + "\npanic 10\nbackend (null)\n");
        assertEquals(10, none.panicTimeout());
        assertNull(none.pstoreBackend());
        assertNull(BootState.parse("boot cat: can't open\n").bootId());
    }
}
