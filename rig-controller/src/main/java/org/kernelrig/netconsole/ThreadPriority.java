package org.kernelrig.netconsole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the receive thread win the CPU. On a small doctor it shares a core
 * with the writer thread and everything else, and it is the one in a hurry:
 * the socket's buffer holds milliseconds of a burst, the ring behind it
 * seconds. Where the process may raise a priority (root) the receive thread
 * runs at nice -10, ten times the CPU of a nice-0 thread that
 * wants it at the same time, and the writer keeps its normal priority, so a
 * doctor that also builds kernels still writes at once. Elsewhere the writer
 * runs at nice 10 instead (anyone may lower a priority). Linux keeps nice
 * values per thread.
 */
final class ThreadPriority {

    private static final int RECEIVER_NICE = -10;
    private static final int WRITER_NICE_UNRAISED = 10;
    private static final boolean MAY_RAISE = effectiveUidIsRoot();

    private ThreadPriority() {
    }

    /** Called on the receive thread as it starts. */
    static void forReceiver() {
        if (MAY_RAISE) {
            setForCurrentThread(RECEIVER_NICE);
        }
    }

    /** Called on the writer thread as it starts: it steps back only where the receive thread cannot be raised. */
    static void forWriter() {
        if (!MAY_RAISE) {
            setForCurrentThread(WRITER_NICE_UNRAISED);
        }
    }

    /** Whether this process runs as root, from the effective uid in /proc/self/status. */
    private static boolean effectiveUidIsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")).anyMatch(f -> f.length > 2 && f[2].equals("0"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sets the calling thread's nice value where Linux and the C library allow it. */
    private static boolean setForCurrentThread(int nice) {
        if (!RecvmmsgSocket.available()) {
            return false;
        }
        try {
            // /proc/thread-self links to /proc/<pid>/task/<tid>: the thread id Java does not give.
            String task = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            return Libc.setpriority(0, Integer.parseInt(task), nice) == 0;
        } catch (IOException | RuntimeException e) {
            // The thread keeps the priority it had: it wins the CPU less often, nothing else changes.
            return false;
        }
    }
}
