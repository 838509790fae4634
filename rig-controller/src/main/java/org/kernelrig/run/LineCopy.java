package org.kernelrig.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.kernelrig.console.ConsoleLine;

/**
 * A run's own copy of the lines a shared doctor delivered for its board, in
 * the doctor's log format (arrival time, then the line), flushed per line.
 */
final class LineCopy implements AutoCloseable {

    private final BufferedWriter out;
    private boolean failed;

    LineCopy(Path file) throws org.kernelrig.LabException {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new org.kernelrig.LabException("cannot write " + file + ": " + e.getMessage());
        }
    }

    synchronized void append(ConsoleLine line) {
        if (failed) {
            return;
        }
        try {
            out.write(line.arrival() + " " + line.text());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // The doctor's own log has the line; this copy is for reading one run alone.
            failed = true;
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
