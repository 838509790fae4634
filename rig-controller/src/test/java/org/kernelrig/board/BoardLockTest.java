package org.kernelrig.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;

/** Board locks between real processes: busy, waited for, taken over from a dead process or past its time. */
class BoardLockTest {

    @TempDir
    Path dir;

    Process other;

    @AfterEach
    void stopOther() {
        if (other != null) {
            other.destroyForcibly();
        }
    }

    /** A lock file as another rig process writes it. */
    void heldBy(long pid, Instant since, Duration ttl) throws Exception {
        Files.writeString(dir.resolve("pi.lock"), "pid=" + pid + "\nhost=" + InetAddress.getLocalHost().getHostName()
                + "\nsince=" + since + "\nttl=" + ttl.toSeconds() + "\ntoken=other\n");
    }

    Process liveProcess() throws Exception {
        other = new ProcessBuilder("sleep", "300").start();
        return other;
    }

    @Test
    void aBoardHeldByAnotherLiveProcessIsRefusedWithItsHolder() throws Exception {
        heldBy(liveProcess().pid(), Instant.now(), Duration.ofHours(1));

        LabException busy = assertThrows(LabException.class,
                () -> BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(1), m -> { }));

        assertTrue(busy.getMessage().startsWith("board pi is busy: another rig run holds it (pid " + other.pid()),
                busy.getMessage());
        assertTrue(busy.hint().contains("--wait-for-board"), busy.hint());
    }

    @Test
    void aWaitingRunGetsTheBoardWhenTheOtherProcessEnds() throws Exception {
        heldBy(liveProcess().pid(), Instant.now(), Duration.ofHours(1));
        CompletableFuture<BoardLock> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return BoardLock.acquire(dir, "pi", Duration.ofSeconds(60), Duration.ofHours(1), m -> { });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });

        other.destroyForcibly().waitFor();

        try (BoardLock lock = waiting.get(30, TimeUnit.SECONDS)) {
            assertTrue(Files.readString(dir.resolve("pi.lock")).contains("pid=" + ProcessHandle.current().pid()));
        }
        assertTrue(Files.notExists(dir.resolve("pi.lock")), "released");
    }

    @Test
    void aLockOfADeadProcessIsTakenOverWithAWarning() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        heldBy(dead.pid(), Instant.now(), Duration.ofHours(1));
        List<String> warnings = new CopyOnWriteArrayList<>();

        try (BoardLock lock = BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(1), warnings::add)) {
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("took over a lock whose process is gone"), warnings.get(0));
        }
    }

    @Test
    void aLockPastItsTimeToLiveIsTakenOverEvenFromALiveProcess() throws Exception {
        heldBy(liveProcess().pid(), Instant.now().minus(Duration.ofHours(7)), Duration.ofHours(6));
        List<String> warnings = new CopyOnWriteArrayList<>();

        try (BoardLock lock = BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(6), warnings::add)) {
            assertTrue(warnings.get(0).contains("past its time to live of 360 min"), warnings.get(0));
        }
    }

    @Test
    void twoRigProcessesShareABoardOneAfterTheOther() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        other = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString(), "pi").redirectErrorStream(true).start();
        java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()));
        assertEquals("held", said.readLine());

        LabException busy = assertThrows(LabException.class,
                () -> BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(1), m -> { }));
        assertTrue(busy.getMessage().contains("(pid " + other.pid()), busy.getMessage());

        other.destroyForcibly().waitFor();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (BoardLock lock = BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(1), warnings::add)) {
            assertTrue(warnings.get(0).contains("whose process is gone (pid " + other.pid()), warnings.get(0));
        }
    }

    @Test
    void theSecondOfTwoRunsInOneProcessIsRefusedToo() throws Exception {
        try (BoardLock first = BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(1), m -> { })) {
            assertThrows(LabException.class, () -> BoardLock.acquire(dir, "pi", Duration.ZERO, Duration.ofHours(1), m -> { }));
        }
    }
}
