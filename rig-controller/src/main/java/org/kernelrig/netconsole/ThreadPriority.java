package org.kernelrig.netconsole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the receive thread win the CPU. On a small doctor it shares a core
 * with the writer thread and everything else, and it is the one in a hurry:
 * the socket's buffer holds milliseconds of a burst, the ring behind it
 * seconds. So the writer runs at a lower priority (a higher nice value, which
 * Linux keeps per thread and lets anyone raise), and the receive thread at a
 * higher one where the process may have it (root, CAP_SYS_NICE). The receive
 * thread sleeps but during bursts, and the writer still gets every moment it
 * waits.
 */
final class ThreadPriority {

    /** Nice 10: a tenth of the CPU of a nice-0 thread that wants it at the same time. */
    static final int WRITER_NICE = 10;
    /** Nice -10: ten times the CPU of a nice-0 thread (a build, a browser) that wants it at the same time. */
    static final int RECEIVER_NICE = -10;

    private ThreadPriority() {
    }

    /** Sets the calling thread's nice value where Linux and the C library allow it; elsewhere nothing happens. */
    static void setForCurrentThread(int nice) {
        if (!RecvmmsgSocket.available()) {
            return;
        }
        try {
            // /proc/thread-self links to /proc/<pid>/task/<tid>: the thread id Java does not give.
            String task = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Libc.setpriority(0, Integer.parseInt(task), nice);
        } catch (IOException | RuntimeException e) {
            // The thread keeps the priority it had: it wins the CPU less often, nothing else changes.
        }
    }
}
