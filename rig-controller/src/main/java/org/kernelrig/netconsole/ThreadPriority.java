package org.kernelrig.netconsole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the receive thread win the CPU from the writer thread. On a small
 * doctor the two share a core with everything else, and only one of them is
 * in a hurry: the socket's buffer holds milliseconds of a burst, the ring
 * behind it seconds. So the writer runs at a lower priority (a higher nice
 * value, which Linux keeps per thread and lets anyone raise); it still gets
 * every moment the receive thread waits.
 */
final class ThreadPriority {

    /** Nice 10: a tenth of the CPU of a nice-0 thread that wants it at the same time. */
    static final int WRITER_NICE = 10;

    private ThreadPriority() {
    }

    /** Lowers the calling thread's priority where Linux and the C library allow it; elsewhere nothing happens. */
    static void lowerCurrentThread(int nice) {
        if (!RecvmmsgSocket.available()) {
            return;
        }
        try {
            // /proc/thread-self links to /proc/<pid>/task/<tid>: the thread id Java does not give.
            String task = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Libc.setpriority(0, Integer.parseInt(task), nice);
        } catch (IOException | RuntimeException e) {
            // The writer keeps the priority it had: slower to win the CPU, nothing lost.
        }
    }
}
