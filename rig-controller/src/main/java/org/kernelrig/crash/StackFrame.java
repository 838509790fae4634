package org.kernelrig.crash;

/**
 * One frame of a kernel stack trace, as printed: {@code sysrq_handle_crash+0x16/0x20},
 * {@code lkdtm_BUG+0x5/0x10 [lkdtm]}, {@code [<ffffffff81000000>] foo+0x1/0x2}.
 *
 * @param function the function name, demangled when it is a Rust or C++ symbol
 * @param offset   the offset in the function ({@code 0x16}), or empty
 * @param size     the size of the function ({@code 0x20}), or empty
 * @param module   the module name, or empty for the kernel image
 */
public record StackFrame(String function, String offset, String size, String module) {

    /** The frame as the kernel prints it, without addresses. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(function);
        if (!offset.isEmpty()) {
            out.append('+').append(offset).append('/').append(size);
        }
        if (!module.isEmpty()) {
            out.append(" [").append(module).append(']');
        }
        return out.toString();
    }

    /**
     * Parses a frame line (after its console prefix), or returns null when the line is not a frame.
     * Accepts leading spaces, up to two {@code [<address>]} groups, an arm {@code (function) from} form is
     * not a frame here. Hand-written: it runs on every line inside a crash.
     */
    public static StackFrame parse(String text) {
        // most lines of a report are not frames: one quick search tells
        if (!text.contains("+0x")) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        for (int group = 0; group < 2 && i < n && text.charAt(i) == '['; group++) {
            int close = text.indexOf(']', i);
            if (close < 0 || close - i > 24) {
                return null;
            }
            i = close + 1;
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
        }
        if (i + 1 < n && text.charAt(i) == '?' && text.charAt(i + 1) == ' ') {
            i += 2;
        }
        int nameStart = i;
        while (i < n && isNameChar(text.charAt(i))) {
            i++;
        }
        if (i == nameStart || i + 3 >= n || text.charAt(i) != '+' || text.charAt(i + 1) != '0'
                || text.charAt(i + 2) != 'x') {
            return null;
        }
        // Rust (and C++) names come mangled: a report shows them as their source reads
        String function = Demangler.demangle(text.substring(nameStart, i));
        int offsetStart = i + 1;
        int slash = text.indexOf('/', offsetStart);
        if (slash < 0) {
            return null;
        }
        int sizeEnd = slash + 1;
        while (sizeEnd < n && isHexOrX(text.charAt(sizeEnd))) {
            sizeEnd++;
        }
        if (!isHexRun(text, offsetStart, slash) || sizeEnd == slash + 1) {
            return null;
        }
        String module = "";
        int open = text.indexOf('[', sizeEnd);
        if (open >= 0 && open <= sizeEnd + 1) {
            int end = open + 1;
            while (end < n && isNameChar(text.charAt(end))) {
                end++;
            }
            if (end > open + 1) {
                module = text.substring(open + 1, end);
            }
        }
        return new StackFrame(function, text.substring(offsetStart, slash), text.substring(slash + 1, sizeEnd), module);
    }

    private static final byte NAME = 1;
    private static final byte HEX_OR_X = 2;
    /** What each ASCII character can be part of: a table, as every frame of every report is read. */
    private static final byte[] CLASSES = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            boolean digit = c >= '0' && c <= '9';
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digit || c == '_' || c == '.') {
                CLASSES[c] |= NAME;
            }
            if (digit || c >= 'a' && c <= 'f' || c == 'x') {
                CLASSES[c] |= HEX_OR_X;
            }
        }
    }

    private static boolean isNameChar(char c) {
        return c < 128 && (CLASSES[c] & NAME) != 0;
    }

    private static boolean isHexOrX(char c) {
        return c < 128 && (CLASSES[c] & HEX_OR_X) != 0;
    }

    private static boolean isHexRun(String text, int from, int to) {
        if (to - from < 3) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isHexOrX(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
