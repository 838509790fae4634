package org.kernelrig.crash;

/**
 * The lines that start a stack trace in a report: {@code Call Trace:}, KASAN's {@code Allocated by task
 * 12:} and {@code Freed by task 12:}, kmemleak's {@code backtrace (crc 1a2b):}, arm's {@code Backtrace:},
 * KMSAN's {@code Uninit was stored to memory at}. Hand-written: every line of every report is tested.
 */
final class StackStarts {

    /** How many kinds of start there are; {@link #of(String)} sets bit i for kind i. */
    static final int KINDS = 8;

    private StackStarts() {
    }

    /** The kinds of stack start the line holds, one bit each, in a fixed order; 0 for most lines. */
    static int of(String line) {
        int kinds = 0;
        int race = line.indexOf("race");
        if (race >= 0) {
            if (line.contains("Call Trace") || line.contains("Call trace")) {
                kinds |= 1;
            }
            if (line.contains("Backtrace:")) {
                kinds |= 1 << 6;
            }
            if (isKmemleakBacktrace(line)) {
                kinds |= 1 << 5;
            }
        }
        int allocated = line.indexOf("Allocated");
        if (allocated >= 0) {
            if (line.contains("Allocated:")) {
                kinds |= 1 << 1;
            }
            if (byTask(line, "Allocated by task ")) {
                kinds |= 1 << 2;
            }
        }
        int freed = line.indexOf("Freed");
        if (freed >= 0) {
            if (line.contains("Freed:")) {
                kinds |= 1 << 3;
            }
            if (byTask(line, "Freed by task ")) {
                kinds |= 1 << 4;
            }
        }
        if (line.contains("Uninit was stored to memory at")) {
            kinds |= 1 << 7;
        }
        return kinds;
    }

    /** {@code <prefix><digits>:} anywhere in the line. */
    private static boolean byTask(String line, String prefix) {
        for (int at = line.indexOf(prefix); at >= 0; at = line.indexOf(prefix, at + 1)) {
            int i = at + prefix.length();
            int digits = i;
            while (i < line.length() && Character.isDigit(line.charAt(i))) {
                i++;
            }
            if (i > digits && i < line.length() && line.charAt(i) == ':') {
                return true;
            }
        }
        return false;
    }

    /** {@code " backtrace:"} or {@code " backtrace (crc 1a2b):"} not preceded by {@code k}. */
    private static boolean isKmemleakBacktrace(String line) {
        for (int at = line.indexOf(" backtrace"); at >= 0; at = line.indexOf(" backtrace", at + 1)) {
            if (at > 0 && line.charAt(at - 1) == 'k') {
                continue;
            }
            int i = at + 10;
            if (line.startsWith(" (crc ", i)) {
                i += 6;
                while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
                    i++;
                }
                if (i >= line.length() || line.charAt(i) != ')') {
                    continue;
                }
                i++;
            }
            if (i < line.length() && line.charAt(i) == ':') {
                return true;
            }
        }
        return false;
    }
}
