package org.kernelrig.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** {@code run.log}: what rig did and when, one line each, flushed as it goes. */
final class RunLog implements AutoCloseable {

    private final BufferedWriter out;
    private final RunListener listener;

    RunLog(Path file, RunListener listener) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.listener = listener;
    }

    /** Writes a line, and shows it. */
    void note(String message) {
        write(message);
        listener.note(message);
    }

    /** Writes a line without showing it. */
    synchronized void write(String message) {
        try {
            out.write(Instant.now() + " " + message.replace("\n", "\n    "));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // run.log is the run's diary; losing it must not lose the run.
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing more to say
        }
    }
}
