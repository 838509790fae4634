package org.kernelrig.netconsole;

import java.util.function.Consumer;

/**
 * Cuts one patient's plain console text into lines. A datagram may end in the
 * middle of a line (the kernel sends a continued line in pieces); the piece
 * waits for the rest, up to {@code maxLine} characters.
 */
final class PlainLineAssembler {

    private final int maxLine;
    private final StringBuilder partial = new StringBuilder();
    private long partialSinceNanos;

    PlainLineAssembler(int maxLine) {
        this.maxLine = maxLine;
    }

    /** Adds the text of one datagram; complete lines go to the consumer. */
    void accept(String text, long nowNanos, Consumer<String> lines) {
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            if (newline < 0) {
                if (partial.length() == 0) {
                    partialSinceNanos = nowNanos;
                }
                partial.append(text, start, text.length());
                if (partial.length() >= maxLine) {
                    flush(lines);
                }
                return;
            }
            if (partial.length() > 0) {
                partial.append(text, start, newline);
                flush(lines);
            } else {
                lines.accept(text.substring(start, newline));
            }
            start = newline + 1;
        }
    }

    boolean hasPartial() {
        return partial.length() > 0;
    }

    /** Since when the unfinished line has waited. */
    long partialSinceNanos() {
        return partialSinceNanos;
    }

    /** Hands over the unfinished line as it is. */
    void flush(Consumer<String> lines) {
        if (partial.length() > 0) {
            String line = partial.toString();
            partial.setLength(0);
            lines.accept(line);
        }
    }

    /**
     * The printk time of a console line, {@code [  123.456789] ...}, in
     * microseconds, or null when the line has none.
     */
    static Long kernelTimeMicros(String line) {
        if (line.length() < 10 || line.charAt(0) != '[') {
            return null;
        }
        int close = line.indexOf(']');
        if (close < 0 || close > 24) {
            return null;
        }
        int i = 1;
        while (i < close && line.charAt(i) == ' ') {
            i++;
        }
        long seconds = 0;
        int digits = 0;
        while (i < close && Character.isDigit(line.charAt(i))) {
            seconds = seconds * 10 + (line.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || i >= close || line.charAt(i) != '.') {
            return null;
        }
        i++;
        long micros = 0;
        int fraction = 0;
        while (i < close && Character.isDigit(line.charAt(i)) && fraction < 6) {
            micros = micros * 10 + (line.charAt(i++) - '0');
            fraction++;
        }
        if (fraction == 0 || i != close) {
            return null;
        }
        for (; fraction < 6; fraction++) {
            micros *= 10;
        }
        return seconds * 1_000_000L + micros;
    }
}
