package org.kernelrig.pstore;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a record as kernel log lines, {@code <level>[seconds.micros] text},
 * or the reason it is not text. Pure; a board's bytes are not trusted: lines
 * are cut at {@link #MAX_LINE_CHARS}, control characters replaced, and a
 * record that is mostly not text is refused rather than decoded into noise.
 */
final class RecordText {

    /** The longest line kept; the kernel's own limit is 1024 characters. */
    static final int MAX_LINE_CHARS = 4096;
    private static final char REPLACEMENT = '\uFFFD';
    /** {@code <4>[   17.145152] text}: level and timestamp both optional, so every line matches. */
    private static final Pattern LINE = Pattern.compile(
            "(?:<(\\d{1,3})>)?(?:\\[ {0,12}(\\d{1,10})\\.(\\d{1,9})\\] ?)?(.*)", Pattern.DOTALL);

    /**
     * One line of a record.
     *
     * @param raw              the line as stored (without its line end)
     * @param level            the log level 0..7 (the facility, as in {@code <12>}, taken off), or null
     * @param kernelTimeMicros the printk timestamp in microseconds, or null
     * @param message          the text after the level and timestamp
     */
    record Line(String raw, Integer level, Long kernelTimeMicros, String message) {
        boolean timestamped() {
            return kernelTimeMicros != null;
        }
    }

    private RecordText() {
    }

    /**
     * Why {@code content} is not text to decode, or null when it is.
     *
     * @param offset where {@code content} starts in its record, for the message
     */
    static String notTextReason(byte[] content, int offset) {
        if (content.length == 0) {
            return "empty";
        }
        int controls = 0;
        for (int i = 0; i < content.length; i++) {
            int b = content[i] & 0xff;
            if (b == 0) {
                return "binary data (a NUL byte at offset " + (offset + i) + ")";
            }
            if (b < 0x20 && b != '\n' && b != '\t' && b != '\r' || b == 0x7f) {
                controls++;
            }
        }
        int invalid = invalidUtf8(content);
        int odd = controls + invalid;
        if (odd > Math.max(8, content.length / 50)) {
            return "binary data (" + odd + " of " + content.length + " bytes are neither text nor line ends)";
        }
        return null;
    }

    /** The content as text, invalid UTF-8 replaced. */
    static String decode(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The lines of {@code text}, at most {@code maxLines}; a trailing line end adds no empty line. */
    static List<Line> lines(String text, int maxLines) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n && lines.size() < maxLines) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            lines.add(parseLine(text.substring(start, end)));
            start = end + 1;
        }
        return lines;
    }

    static Line parseLine(String line) {
        String raw = clean(line);
        Matcher m = LINE.matcher(raw);
        if (!m.matches()) {
            return new Line(raw, null, null, raw);
        }
        Integer level = m.group(1) != null ? Integer.parseInt(m.group(1)) & 7 : null;
        Long time = m.group(2) != null ? micros(m.group(2), m.group(3)) : null;
        return new Line(raw, level, time, m.group(4));
    }

    /** Without {@code \r}, control characters other than tab replaced, cut at {@link #MAX_LINE_CHARS}. */
    private static String clean(String line) {
        String cut = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line;
        StringBuilder out = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean control = c < 0x20 && c != '\t' || c == 0x7f;
            if (control && out == null) {
                out = new StringBuilder(cut.length()).append(cut, 0, i);
            }
            if (out != null) {
                if (c == '\r') {
                    continue;
                }
                out.append(control ? REPLACEMENT : c);
            }
        }
        return out == null ? cut : out.toString();
    }

    private static long micros(String seconds, String fraction) {
        String padded = (fraction + "000000").substring(0, 6);
        return Long.parseLong(seconds) * 1_000_000L + Long.parseLong(padded);
    }

    /** How many bytes are not part of valid UTF-8 sequences. */
    private static int invalidUtf8(byte[] content) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        int invalid = 0;
        CoderResult result = decoder.decode(in, out, true);
        while (result.isError()) {
            invalid += result.length();
            in.position(in.position() + result.length());
            result = decoder.decode(in, out, true);
        }
        return invalid;
    }
}
