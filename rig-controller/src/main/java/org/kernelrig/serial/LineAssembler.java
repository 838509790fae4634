package org.kernelrig.serial;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a serial byte stream into text lines: {@code \n}, {@code \r\n} and a
 * lone {@code \r} end a line (a run of {@code \r} before {@code \n} is one
 * ending, as some drivers double it); ANSI escape sequences and other control
 * characters are dropped (the raw log keeps them); text is UTF-8, invalid
 * bytes become U+FFFD. A line longer than the bound is cut there and goes on
 * in the next line, so nothing is lost. Each line carries the arrival time of
 * its first byte. Pure: no I/O, state carries across calls so sequences split
 * between reads are handled.
 */
public final class LineAssembler {

    /** A completed line and when its first byte arrived. */
    public record Line(Instant start, String text) {
    }

    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    /** An unterminated string sequence (OSC, DCS) longer than this is taken as garbage and ends. */
    private static final int MAX_STRING_SEQUENCE = 512;

    private enum State { TEXT, ESCAPE, ESCAPE_INTERMEDIATE, CSI, STRING, STRING_ESCAPE }

    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private State state = State.TEXT;
    private boolean pendingCarriageReturn;
    private int stringLength;
    private Instant lineStart;

    public LineAssembler() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public LineAssembler(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Feeds bytes that arrived at {@code arrival}; returns the lines they complete. */
    public List<Line> feed(byte[] bytes, int offset, int length, Instant arrival) {
        List<Line> lines = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            if (lineStart == null) {
                lineStart = arrival;
            }
            accept(bytes[i] & 0xff, lines, arrival);
        }
        return lines;
    }

    public List<Line> feed(byte[] bytes, Instant arrival) {
        return feed(bytes, 0, bytes.length, arrival);
    }

    /** True when bytes of an unfinished line are waiting for their line end. */
    public boolean hasPartialLine() {
        return line.size() > 0 || pendingCarriageReturn;
    }

    /** Ends the unfinished line, if any (at the end of a capture, or before a gap marker). */
    public Optional<Line> flush() {
        boolean had = hasPartialLine();
        pendingCarriageReturn = false;
        state = State.TEXT;
        if (!had) {
            lineStart = null;
            return Optional.empty();
        }
        return Optional.of(take());
    }

    private void accept(int b, List<Line> lines, Instant arrival) {
        if (pendingCarriageReturn) {
            if (b == '\r') {
                return;
            }
            pendingCarriageReturn = false;
            lines.add(take());
            if (b == '\n') {
                return;
            }
            lineStart = arrival;
        }
        switch (state) {
            case TEXT -> text(b, lines);
            case ESCAPE -> {
                if (b == '[') {
                    state = State.CSI;
                } else if (b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_') {
                    state = State.STRING;
                    stringLength = 0;
                } else if (b >= 0x20 && b <= 0x2f) {
                    state = State.ESCAPE_INTERMEDIATE;
                } else if (b >= 0x30 && b <= 0x7e) {
                    state = State.TEXT;
                } else {
                    state = State.TEXT;
                    text(b, lines);
                }
            }
            case ESCAPE_INTERMEDIATE -> {
                if (b >= 0x30 && b <= 0x7e) {
                    state = State.TEXT;
                } else if (b < 0x20 || b > 0x2f) {
                    state = State.TEXT;
                    text(b, lines);
                }
            }
            case CSI -> {
                if (b >= 0x40 && b <= 0x7e) {
                    state = State.TEXT;
                } else if (b < 0x20 || b > 0x7e) {
                    // not a well-formed sequence: give the byte back to the text
                    state = State.TEXT;
                    text(b, lines);
                }
            }
            case STRING -> {
                if (b == 0x07) {
                    state = State.TEXT;
                } else if (b == 0x1b) {
                    state = State.STRING_ESCAPE;
                } else if (b == '\n' || b == '\r' || ++stringLength > MAX_STRING_SEQUENCE) {
                    state = State.TEXT;
                    text(b, lines);
                }
            }
            case STRING_ESCAPE -> {
                state = State.TEXT;
                if (b != '\\') {
                    text(b, lines);
                }
            }
        }
    }

    private void text(int b, List<Line> lines) {
        if (b == '\n') {
            lines.add(take());
        } else if (b == '\r') {
            pendingCarriageReturn = true;
        } else if (b == 0x1b) {
            state = State.ESCAPE;
        } else if (b == '\t' || (b >= 0x20 && b != 0x7f)) {
            line.write(b);
            if (line.size() >= maxLineBytes) {
                lines.add(cutAtBound());
            }
        }
        // other control characters (NUL, BEL, backspace) are dropped
    }

    /** Ends an over-long line, keeping a UTF-8 sequence it splits for the next line. */
    private Line cutAtBound() {
        byte[] bytes = line.toByteArray();
        int keep = bytes.length;
        for (int back = 1; back <= 3 && back <= bytes.length; back++) {
            int b = bytes[bytes.length - back] & 0xff;
            if ((b & 0xc0) == 0x80) {
                continue;
            }
            int needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            if (needed > back) {
                keep = bytes.length - back;
            }
            break;
        }
        Line cut = new Line(lineStart, decode(bytes, keep));
        line.reset();
        line.write(bytes, keep, bytes.length - keep);
        return cut;
    }

    private Line take() {
        Line taken = new Line(lineStart, decode(line.toByteArray(), line.size()));
        line.reset();
        lineStart = null;
        return taken;
    }

    private static String decode(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }
}
