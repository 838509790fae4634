package org.kernelrig.board;

import java.nio.file.Path;
import java.time.Duration;

/** A second rig process for the lock tests: takes a board's lock, says so, and holds it until killed. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        BoardLock lock = BoardLock.acquire(Path.of(args[0]), args[1], Duration.ZERO, Duration.ofHours(1), m -> { });
        System.out.println("held");
        System.out.flush();
        // Holds the lock until the test kills this process, as a rig run that dies would.
        Thread.currentThread().join();
        lock.close();
    }
}
