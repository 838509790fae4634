package org.kernelrig.netconsole;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows what arrives on a terminal, like {@code tee}, on its own thread: a
 * slow terminal never holds up the logs. When it falls behind, chunks are
 * skipped (they are in the logs) and counted.
 */
final class ConsoleEcho implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(1024);
    private final AtomicLong skippedLines = new AtomicLong();
    private final Thread thread;

    ConsoleEcho(OutputStream out, String name) {
        this.out = out;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues text for the terminal, or counts its lines as skipped when the terminal is behind. */
    void offer(byte[] chunk, int lines) {
        if (!chunks.offer(chunk)) {
            skippedLines.addAndGet(lines);
        }
    }

    long skippedLines() {
        return skippedLines.get();
    }

    private void run() {
        try {
            while (true) {
                byte[] chunk = chunks.take();
                if (chunk == END) {
                    break;
                }
                out.write(chunk);
                if (chunks.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The terminal went away (a closed pipe): the logs still have everything.
        }
    }

    /** Shows what is queued, then stops. */
    @Override
    public void close() {
        try {
            if (!chunks.offer(END, 5, TimeUnit.SECONDS)) {
                thread.interrupt();
            }
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
