package org.kernelrig.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;

/** The command driver with real shell commands. */
class CommandSwitchTest {

    @TempDir
    Path dir;

    private CommandSwitch commands(String status, String reset, Duration timeout) {
        Path log = dir.resolve("switch.log");
        return new CommandSwitch("odroid", "echo \"$RIG_BOARD on\" >> '" + log + "'",
                "echo \"$RIG_BOARD off\" >> '" + log + "'", status, reset, timeout);
    }

    @Test
    void onOffResetRunTheirCommandsWithTheBoardsName() throws Exception {
        CommandSwitch power = commands(null, "echo \"$RIG_BOARD reset\" >> '" + dir.resolve("switch.log") + "'",
                Duration.ofSeconds(10));
        power.off();
        power.on();
        assertTrue(power.canReset());
        power.reset();
        assertEquals(List.of("odroid off", "odroid on", "odroid reset"), Files.readAllLines(dir.resolve("switch.log")));
        assertEquals(Optional.empty(), power.state(), "no status command, no state");
    }

    @Test
    void statusIsReadFromTheLastWordOrElseTheExitStatus() throws Exception {
        assertEquals(Optional.of(PowerSwitch.State.ON), commands("echo 'Outlet 3: ON'", null, Duration.ofSeconds(10)).state());
        assertEquals(Optional.of(PowerSwitch.State.OFF), commands("printf 'relay 1\\noff\\n'; exit 0", null,
                Duration.ofSeconds(10)).state());
        assertEquals(Optional.of(PowerSwitch.State.ON), commands("true", null, Duration.ofSeconds(10)).state());
        assertEquals(Optional.of(PowerSwitch.State.OFF), commands("exit 1", null, Duration.ofSeconds(10)).state());
        LabException e = assertThrows(LabException.class,
                () -> commands("echo 'pdu unreachable' >&2; exit 3", null, Duration.ofSeconds(10)).state());
        assertEquals("board odroid: power switch command: the status command exited with 3; it printed: "
                + "pdu unreachable", e.getMessage());
    }

    @Test
    void aFailingCommandIsALabErrorWithItsOutput() {
        CommandSwitch power = new CommandSwitch("odroid", "echo 'usbrelay: no device found'; exit 1", "true", null,
                null, Duration.ofSeconds(10));
        LabException e = assertThrows(LabException.class, power::on);
        assertEquals("board odroid: power switch command: the on command exited with 1; it printed: "
                + "usbrelay: no device found", e.getMessage());
        assertTrue(e.hint().startsWith("run it by hand: sh -c 'echo '\\''usbrelay"), e.hint());
        assertFalse(power.canReset());
        assertThrows(LabException.class, power::reset);
    }

    @Test
    void aCommandThatHangsIsKilledWithItsChildrenAtTheTimeout() throws Exception {
        Path pid = dir.resolve("child.pid");
        CommandSwitch power = new CommandSwitch("odroid", "true",
                "echo started; sleep 60 & echo $! > '" + pid + "'; wait", null, null, Duration.ofMillis(500));
        LabException e = assertThrows(LabException.class, power::off);
        assertEquals("board odroid: power switch command: the off command did not finish within 500 ms and was "
                + "killed; it printed: started", e.getMessage());
        long child = Long.parseLong(Files.readString(pid).trim());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void parsesStatusWords() {
        assertEquals(Optional.of(PowerSwitch.State.ON), CommandSwitch.parseStatus("state=on\n"));
        assertEquals(Optional.of(PowerSwitch.State.OFF), CommandSwitch.parseStatus("Power: OFF."));
        assertEquals(Optional.empty(), CommandSwitch.parseStatus("online"));
        assertEquals(Optional.empty(), CommandSwitch.parseStatus("off\nunknown"));
        assertEquals(Optional.empty(), CommandSwitch.parseStatus(""));
    }
}
