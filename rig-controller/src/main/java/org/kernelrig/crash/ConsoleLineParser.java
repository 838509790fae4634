package org.kernelrig.crash;

import java.nio.charset.StandardCharsets;

/**
 * Takes the prefixes off a raw console line: carriage returns and ANSI escapes (serial consoles),
 * the extended netconsole header {@code <level>,<seq>,<ts>,<flags>;}, syslog and journal prefixes,
 * {@code <level>} markers, the printk timestamp {@code [  12.345678]} and the caller id
 * {@code [  T123]}/{@code [  C1]}. Written by hand without regular expressions because it runs on
 * every line of the log.
 */
public final class ConsoleLineParser {

    private ConsoleLineParser() {
    }

    /**
     * Parses one raw line.
     *
     * @return the line, or null for lines that carry no kernel message (extended netconsole
     *         dictionary lines {@code " DEVICE=+usb:1-1"})
     */
    public static LogLine parse(int number, String raw) {
        return parse(number, raw, true);
    }

    /**
     * Where the message of a line with a plain printk prefix ({@code [  12.345678]}, a caller id, a
     * {@code <level>}) starts, or 0 for other lines. Cheap, and allocates nothing.
     */
    static int messageStart(String raw) {
        int stamp = skipTimestamp(raw, skipLevel(raw, 0));
        if (stamp < 0) {
            return 0;
        }
        int callerEnd = skipCallerId(raw, stamp);
        int pos = callerEnd >= 0 ? callerEnd : stamp;
        return pos < raw.length() && raw.charAt(pos) == ' ' ? pos + 1 : pos;
    }

    /**
     * {@link #messageStart(String)} for the UTF-8 bytes {@code from} to {@code to} of a buffer: the
     * index in the buffer where the message starts, or {@code from}. A prefix found is ASCII, so the
     * same index counts characters in the decoded line.
     */
    static int messageStart(byte[] bytes, int from, int to) {
        int pos = from;
        if (pos + 2 < to && bytes[pos] == '<') {
            int i = pos + 1;
            while (i < to && i - pos < 5 && bytes[i] >= '0' && bytes[i] <= '9') {
                i++;
            }
            if (i > pos + 1 && i < to && bytes[i] == '>') {
                pos = i + 1;
            }
        }
        int stamp = bracketed(bytes, pos, to, false);
        if (stamp < 0) {
            return from;
        }
        int callerEnd = bracketed(bytes, stamp, to, true);
        pos = callerEnd >= 0 ? callerEnd : stamp;
        return pos < to && bytes[pos] == ' ' ? pos + 1 : pos;
    }

    /** Position after {@code [  12.345678]} (or a caller id {@code [  T123]}), or -1. */
    private static int bracketed(byte[] bytes, int pos, int to, boolean callerId) {
        if (pos >= to || bytes[pos] != '[') {
            return -1;
        }
        int i = pos + 1;
        while (i < to && bytes[i] == ' ') {
            i++;
        }
        if (callerId) {
            if (i >= to || bytes[i] != 'T' && bytes[i] != 'C') {
                return -1;
            }
            i++;
        }
        int digits = i;
        while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        if (i == digits || i >= to) {
            return -1;
        }
        if (!callerId) {
            if (bytes[i] != '.') {
                return -1;
            }
            int fraction = ++i;
            while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
                i++;
            }
            if (i == fraction || i >= to) {
                return -1;
            }
        }
        return bytes[i] == ']' ? i + 1 : -1;
    }

    /**
     * Parses a line of ASCII bytes whose printk prefix ends at {@code message} (as found by
     * {@link #messageStart(byte[], int, int)}, after {@code from}): such a line has no transport prefix
     * and is not a dictionary line, so only the caller id and the message are left to take. Reuses
     * {@code previous}, the context of the line before, when this line has the same: a report's lines
     * come from one caller.
     */
    static LogLine parsePrefixed(int number, byte[] bytes, int from, int message, int to, String previous) {
        String context = LogLine.CONSOLE;
        // the caller id is the last bracket of the prefix: "[   12.3][ T123] " or "[   12.3][  C1]"
        int close = message - 1;
        if (close > from && bytes[close] == ' ') {
            close--;
        }
        if (close > from && bytes[close] == ']' && bytes[close - 1] >= '0' && bytes[close - 1] <= '9') {
            int i = close - 1;
            while (bytes[i] >= '0' && bytes[i] <= '9') {
                i--;
            }
            if ((bytes[i] == 'T' || bytes[i] == 'C') && (bytes[i - 1] == ' ' || bytes[i - 1] == '[')) {
                context = sameText(previous, bytes, i, close) ? previous
                        : new String(bytes, i, close - i, StandardCharsets.ISO_8859_1);
            }
        }
        String text = new String(bytes, message, to - message, StandardCharsets.ISO_8859_1);
        return questionable(number, text, context);
    }

    private static boolean sameText(String text, byte[] bytes, int from, int to) {
        if (text.length() != to - from) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != bytes[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Parses a line the caller knows to hold no control characters when {@code mayHoldControls} is false. */
    static LogLine parse(int number, String raw, boolean mayHoldControls) {
        String line = mayHoldControls ? cleanControls(raw) : raw;
        if (isDictionaryLine(line)) {
            return null;
        }
        String context = "";
        String stripped = stripNetconsoleHeader(line);
        if (stripped != line) {
            context = netconsoleCaller(line, line.length() - stripped.length());
            line = stripped;
        }
        line = stripSyslogPrefix(line);
        int pos = skipLevel(line, 0);
        int stamp = skipTimestamp(line, pos);
        if (stamp < 0) {
            // "syzkaller login: [   36.85] ..." or "** 5 printk messages dropped ** [ 1.2] ...": the prefix
            // before the timestamp is noise from the console.
            int login = line.indexOf(" login: ");
            if (login < 0) {
                login = line.startsWith("** ") ? line.indexOf(" ** ", 3) : -1;
            }
            if (login >= 0) {
                int after = login + (line.charAt(login + 1) == 'l' ? 8 : 4);
                int at = skipTimestamp(line, skipLevel(line, after));
                if (at >= 0) {
                    pos = skipLevel(line, after);
                    stamp = at;
                }
            }
        }
        if (stamp >= 0) {
            context = context.isEmpty() ? LogLine.CONSOLE : context;
            pos = stamp;
            int callerEnd = skipCallerId(line, pos);
            if (callerEnd >= 0) {
                context = callerId(line, pos, callerEnd);
                pos = callerEnd;
            }
            if (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
        }
        return questionable(number, pos == 0 ? line : line.substring(pos), context);
    }

    /** The line, its unreliable-frame marks taken off. */
    private static LogLine questionable(int number, String text, String context) {
        boolean questionable = false;
        int mark = questionableMark(text);
        if (mark >= 0) {
            text = text.substring(mark + 2);
            questionable = true;
        } else if (text.endsWith(" (unreliable)")) {
            // powerpc marks unreliable frames at the end
            text = text.substring(0, text.length() - 13);
            questionable = true;
        }
        return new LogLine(number, text, context, questionable);
    }

    /** Removes {@code \r}, ANSI escape sequences and other control characters except tabs. */
    static String cleanControls(String raw) {
        int n = raw.length();
        int i = 0;
        while (i < n) {
            char c = raw.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                break;
            }
            i++;
        }
        if (i == n) {
            return raw;
        }
        StringBuilder out = new StringBuilder(n);
        out.append(raw, 0, i);
        while (i < n) {
            char c = raw.charAt(i);
            if (c == 0x1b) {
                i = skipEscape(raw, i);
                continue;
            }
            if (c >= 0x20 && c != 0x7f || c == '\t') {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    private static int skipEscape(String s, int i) {
        int n = s.length();
        if (i + 1 >= n) {
            return n;
        }
        char next = s.charAt(i + 1);
        if (next == '[') {
            int j = i + 2;
            while (j < n && (s.charAt(j) < 0x40 || s.charAt(j) > 0x7e)) {
                j++;
            }
            return Math.min(n, j + 1);
        }
        if (next == ']') {
            // operating system command, ended by BEL or ESC \
            int j = i + 2;
            while (j < n && s.charAt(j) != 0x07 && s.charAt(j) != 0x1b) {
                j++;
            }
            return Math.min(n, j + 1);
        }
        return i + 2;
    }

    /** Extended netconsole sends the record's dictionary as continuation lines {@code " KEY=value"}. */
    private static boolean isDictionaryLine(String line) {
        if (line.length() < 3 || line.charAt(0) != ' ') {
            return false;
        }
        int i = 1;
        while (i < line.length() && (Character.isUpperCase(line.charAt(i)) || line.charAt(i) == '_')) {
            i++;
        }
        return i > 1 && i < line.length() && line.charAt(i) == '=';
    }

    /** {@code 6,1234,5678901,-;message} (possibly {@code ,ncfrag=0/2} before the {@code ;}). */
    private static String stripNetconsoleHeader(String line) {
        int n = line.length();
        int i = 0;
        for (int field = 0; field < 3; field++) {
            int start = i;
            while (i < n && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i >= n || line.charAt(i) != ',') {
                return line;
            }
            i++;
        }
        int semi = line.indexOf(';', i);
        if (semi < 0 || semi - i > 40) {
            return line;
        }
        return line.substring(semi + 1);
    }

    /** The caller id of an extended netconsole header ({@code 4,611,4212,-,caller=T612;}), else the empty string. */
    private static String netconsoleCaller(String line, int headerEnd) {
        int at = line.lastIndexOf(",caller=", headerEnd);
        if (at < 0) {
            return "";
        }
        int end = at + 8;
        while (end < headerEnd && line.charAt(end) != ',' && line.charAt(end) != ';') {
            end++;
        }
        return line.substring(at + 8, end);
    }

    /**
     * {@code Nov 24 08:00:01 host kernel: ...} and {@code 2026-11-24T08:00:01.123+00:00 host kernel: ...}.
     */
    private static String stripSyslogPrefix(String line) {
        if (line.length() < 16) {
            return line;
        }
        char c = line.charAt(0);
        boolean month = c >= 'A' && c <= 'Z' && line.charAt(3) == ' ' && line.charAt(6) == ' '
                && line.charAt(9) == ':';
        boolean iso = c >= '0' && c <= '9' && line.charAt(4) == '-' && line.charAt(10) == 'T';
        if (!month && !iso) {
            return line;
        }
        int kernel = line.indexOf(" kernel: ");
        if (kernel < 0 || kernel > 80) {
            return line;
        }
        return line.substring(kernel + 9);
    }

    private static int skipLevel(String line, int pos) {
        if (pos + 2 < line.length() && line.charAt(pos) == '<') {
            int i = pos + 1;
            while (i < line.length() && i - pos < 5 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                i++;
            }
            if (i > pos + 1 && i < line.length() && line.charAt(i) == '>') {
                return i + 1;
            }
        }
        return pos;
    }

    /** Position after {@code [  12.345678]}, or -1. */
    private static int skipTimestamp(String line, int pos) {
        int n = line.length();
        if (pos >= n || line.charAt(pos) != '[') {
            return -1;
        }
        int i = pos + 1;
        while (i < n && line.charAt(i) == ' ') {
            i++;
        }
        int digits = i;
        while (i < n && Character.isDigit(line.charAt(i))) {
            i++;
        }
        if (i == digits || i >= n || line.charAt(i) != '.') {
            return -1;
        }
        i++;
        int fraction = i;
        while (i < n && Character.isDigit(line.charAt(i))) {
            i++;
        }
        if (i == fraction || i >= n || line.charAt(i) != ']') {
            return -1;
        }
        return i + 1;
    }

    /** Position after {@code [  T123]} or {@code [ C1]}, or -1. */
    private static int skipCallerId(String line, int pos) {
        int n = line.length();
        if (pos >= n || line.charAt(pos) != '[') {
            return -1;
        }
        int i = pos + 1;
        while (i < n && line.charAt(i) == ' ') {
            i++;
        }
        if (i >= n || line.charAt(i) != 'T' && line.charAt(i) != 'C') {
            return -1;
        }
        i++;
        int digits = i;
        while (i < n && Character.isDigit(line.charAt(i))) {
            i++;
        }
        if (i == digits || i >= n || line.charAt(i) != ']') {
            return -1;
        }
        return i + 1;
    }

    private static String callerId(String line, int start, int end) {
        int i = start + 1;
        while (line.charAt(i) == ' ') {
            i++;
        }
        return line.substring(i, end - 1);
    }

    /**
     * Position of the {@code ?} of an unreliable x86 frame ({@code " ? foo+0x1/0x2"} or
     * {@code " [<ffffffff81000000>] ? foo+0x1/0x2"}), or -1. Lines inside {@code <EOI>} are left alone.
     */
    private static int questionableMark(String text) {
        int mark = text.indexOf(" ? ");
        if (mark < 0 || mark > 40) {
            return -1;
        }
        for (int i = 0; i < mark; i++) {
            char c = text.charAt(i);
            if (!(c == ' ' || c == '[' || c == ']' || c == '<' || c == '>' || Character.isLetterOrDigit(c))) {
                return -1;
            }
        }
        if (text.contains("<EOI>")) {
            return -1;
        }
        return mark + 1;
    }
}
