package org.kernelrig.crash;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a console log line by line. Lines end at {@code \n} only: a serial console's stray
 * {@code \r} stays in the line (the analyzer drops it) so line numbers match {@code wc -l} and editors.
 * Bytes that are not UTF-8 become U+FFFD; a line longer than {@value #MAX_LINE} characters is cut.
 */
public final class LogReader {

    /** Longest line kept; the rest of a longer line is dropped. */
    public static final int MAX_LINE = 64 * 1024;

    private LogReader() {
    }

    /** Hands every line of the stream to {@code sink}; returns the number of lines. */
    public static int read(InputStream in, Consumer<String> sink) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
        char[] buffer = new char[64 * 1024];
        StringBuilder line = new StringBuilder(256);
        int lines = 0;
        boolean pending = false;
        int n;
        while ((n = reader.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    append(line, buffer, start, i);
                    sink.accept(line.toString());
                    line.setLength(0);
                    lines++;
                    start = i + 1;
                    pending = false;
                }
            }
            if (start < n) {
                append(line, buffer, start, n);
                pending = true;
            }
        }
        if (pending) {
            sink.accept(line.toString());
            lines++;
        }
        return lines;
    }

    private static void append(StringBuilder line, char[] buffer, int from, int to) {
        int room = MAX_LINE - line.length();
        if (room > 0) {
            line.append(buffer, from, Math.min(to - from, room));
        }
    }
}
