package org.kernelrig.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a console log line by line. Lines end at {@code \n} only: a serial console's stray
 * {@code \r} stays in the line (the analyzer drops it) so line numbers match {@code wc -l} and editors.
 * Each line is decoded as UTF-8 on its own, bytes that are not UTF-8 becoming U+FFFD, so one bad byte
 * spoils one line at most; a line longer than {@value #MAX_LINE} bytes is cut.
 */
public final class LogReader {

    /** Longest line kept, in bytes; the rest of a longer line is dropped. */
    public static final int MAX_LINE = 64 * 1024;

    private LogReader() {
    }

    /** Hands every line of the stream to {@code sink}; returns the number of lines. */
    public static int read(InputStream in, Consumer<String> sink) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        int lines = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = nextNewline(buffer, 0, n); i < n; i = nextNewline(buffer, i + 1, n)) {
                if (partial.size() == 0) {
                    sink.accept(new String(buffer, start, Math.min(i - start, MAX_LINE), StandardCharsets.UTF_8));
                } else {
                    append(partial, buffer, start, i);
                    sink.accept(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                }
                lines++;
                start = i + 1;
            }
            append(partial, buffer, start, n);
        }
        if (partial.size() > 0) {
            sink.accept(partial.toString(StandardCharsets.UTF_8));
            lines++;
        }
        return lines;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

    /** The index of the next {@code \n} from {@code from}, or {@code end}; eight bytes at a time. */
    static int nextNewline(byte[] buffer, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long word = (long) LONGS.get(buffer, i) ^ NEWLINES;
            long zero = (word - ONES) & ~word & HIGHS;
            if (zero != 0) {
                return i + Long.numberOfTrailingZeros(zero) / 8;
            }
        }
        for (; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    private static void append(ByteArrayOutputStream partial, byte[] buffer, int from, int to) {
        int room = MAX_LINE - partial.size();
        if (room > 0 && to > from) {
            partial.write(buffer, from, Math.min(to - from, room));
        }
    }
}
