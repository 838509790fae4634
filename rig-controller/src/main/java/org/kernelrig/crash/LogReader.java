package org.kernelrig.crash;

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
        return readLines(in, (bytes, from, to) -> sink.accept(new String(bytes, from, to - from, StandardCharsets.UTF_8)));
    }

    /**
     * Hands every line of the stream to the analyzer as bytes: it decodes only the lines that can
     * matter to a crash. Returns the number of lines.
     */
    public static int read(InputStream in, CrashAnalyzer analyzer) throws IOException {
        return readLines(in, analyzer::accept);
    }

    /** Receives a line as the bytes {@code from} (inclusive) to {@code to} (exclusive) of a buffer it must not keep. */
    interface LineBytes {
        void accept(byte[] bytes, int from, int to);
    }

    static int readLines(InputStream in, LineBytes sink) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        byte[] partial = new byte[1024];
        int partialSize = 0;
        int lines = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = nextNewline(buffer, 0, n); i < n; i = nextNewline(buffer, i + 1, n)) {
                if (partialSize == 0) {
                    sink.accept(buffer, start, start + Math.min(i - start, MAX_LINE));
                } else {
                    partial = append(partial, partialSize, buffer, start, i);
                    partialSize = Math.min(MAX_LINE, partialSize + i - start);
                    sink.accept(partial, 0, partialSize);
                    partialSize = 0;
                }
                lines++;
                start = i + 1;
            }
            partial = append(partial, partialSize, buffer, start, n);
            partialSize = Math.min(MAX_LINE, partialSize + n - start);
        }
        if (partialSize > 0) {
            sink.accept(partial, 0, partialSize);
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

    /** Appends what fits of {@code from..to} below {@link #MAX_LINE} to a line of {@code size} bytes; returns the array. */
    private static byte[] append(byte[] partial, int size, byte[] buffer, int from, int to) {
        int length = Math.min(to - from, MAX_LINE - size);
        if (length <= 0) {
            return partial;
        }
        if (size + length > partial.length) {
            partial = java.util.Arrays.copyOf(partial, Math.max(size + length, Math.min(MAX_LINE, 2 * partial.length)));
        }
        System.arraycopy(buffer, from, partial, size, length);
        return partial;
    }
}
