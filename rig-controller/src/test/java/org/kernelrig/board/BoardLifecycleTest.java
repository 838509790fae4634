package org.kernelrig.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.patient.TestSshServer;

/**
 * The lifecycle's failure paths against a real SSH server in this process
 * and a real command power switch: what the virtual board shows only in
 * minutes, or never (a boot that does not change, another kernel).
 */
class BoardLifecycleTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    TestSshServer server;
    Path powerLog;
    List<String> log = new ArrayList<>();
    BoardLifecycle lifecycle;

    @BeforeEach
    void board() throws Exception {
        server = new TestSshServer(dir.resolve("sshd"), null);
        server.trustHostKey();
        powerLog = dir.resolve("power.log");
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, String.join("\n",
                server.boardSsh(),
                "power:",
                "  driver: command",
                "  on: \"echo on >> " + powerLog + "\"",
                "  off: \"echo off >> " + powerLog + "\"",
                "  off-time: 10ms",
                "doctor: {address: 127.0.0.1, port: 6682}", ""));
        Board board = BoardFile.load(file, "bench.yaml");
        lifecycle = BoardLifecycle.open(board, null, message -> { }, log::add);
    }

    @AfterEach
    void close() throws Exception {
        lifecycle.close();
        server.close();
    }

    private String powerCalls() throws Exception {
        return Files.exists(powerLog) ? Files.readString(powerLog) : "";
    }

    /** Logged in on the server's system, whose kernel is this machine's; the boot as {@code boot} says. */
    private String loggedIn(BootState boot) throws Exception {
        lifecycle.switchOnIfOff();
        lifecycle.login(null, SHORT);
        String release = lifecycle.shell().run("uname -r", Duration.ofSeconds(10)).output();
        lifecycle.booted(release);
        lifecycle.learnBoot(boot);
        return release;
    }

    @Test
    void aKernelRebootThatNeverComesFallsBackToAPowerCycle() throws Exception {
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        String release = loggedIn(new BootState(bootId, -1, null, false));

        BoardLifecycle.Recovery back = lifecycle.recover(true, false, SHORT, Duration.ofMillis(10), log::add);

        assertNull(back.failure());
        assertTrue(back.back());
        assertEquals("power-cycle", back.method());
        assertEquals("tried first: kernel reboot", back.detail());
        assertEquals("off\non\n", powerCalls());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("kernel reboot did not bring the board back: no new boot")),
                log.toString());
        assertEquals(BoardLifecycle.State.SHELL, lifecycle.state().orElseThrow());
        assertEquals(release, lifecycle.kernel().orElseThrow());
    }

    @Test
    void aBoardBackWithAnotherKernelIsALabErrorWithTheBoardBack() throws Exception {
        loggedIn(BootState.UNKNOWN);
        lifecycle.booted("0.0.0-not-this-one");

        BoardLifecycle.Recovery back = lifecycle.recover(true, false, SHORT, Duration.ofMillis(10), log::add);

        assertTrue(back.back());
        assertEquals("power-cycle", back.method());
        assertTrue(back.detail().startsWith("came back with kernel "), back.detail());
        assertNotNull(back.failure());
        assertTrue(back.failure().getMessage().endsWith(", not 0.0.0-not-this-one"), back.failure().getMessage());
        assertEquals(BoardLifecycle.State.RECOVERED, lifecycle.state().orElseThrow());
    }

    @Test
    void aBoardThatNeverAnswersAgainIsNotBack() throws Exception {
        loggedIn(BootState.UNKNOWN);
        server.close();

        BoardLifecycle.Recovery back = lifecycle.recover(true, false, SHORT, Duration.ofMillis(10), log::add);

        assertFalse(back.back());
        assertEquals("power-cycle", back.method());
        assertTrue(back.failure().getMessage().startsWith("board bench did not come back after the power-cycle: "
                + "board bench did not answer SSH within 0 s"), back.failure().getMessage());
        assertEquals(BoardLifecycle.State.CRASHED, lifecycle.state().orElseThrow());
    }

    @Test
    void aShellWhoseServerWentAwayNoLongerAnswers() throws Exception {
        loggedIn(BootState.UNKNOWN);
        assertTrue(lifecycle.answers());

        server.close();

        assertFalse(lifecycle.answers());
    }

    @Test
    void aStepOutOfOrderIsRefused() throws Exception {
        loggedIn(BootState.UNKNOWN);
        lifecycle.crashed();

        assertThrows(IllegalStateException.class, lifecycle::netconsoleProven);
    }

    @Test
    void aCommandThatNeedsTheBoardOnSaysHowToSwitchItOn() throws Exception {
        lifecycle.switchOff();
        Files.writeString(powerLog, "off\n");
        Path file = dir.resolve("reporting.yaml");
        Files.writeString(file, String.join("\n",
                "ssh: {host: 127.0.0.1, port: " + server.port() + "}",
                "power:",
                "  driver: command",
                "  on: \"true\"",
                "  off: \"true\"",
                "  status: \"tail -n 1 " + powerLog + "\"", ""));
        try (BoardLifecycle off = BoardLifecycle.open(BoardFile.load(file, "reporting.yaml"), null, m -> { }, m -> { })) {
            LabException refused = assertThrows(LabException.class, off::requireOn);
            assertEquals("board reporting is off", refused.getMessage());
            assertEquals("switch it on: rig power reporting on", refused.hint());
            assertEquals(BoardLifecycle.State.OFF, off.state().orElseThrow());
        }
    }
}
