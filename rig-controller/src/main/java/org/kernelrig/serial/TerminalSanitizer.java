package org.kernelrig.serial;

import java.io.ByteArrayOutputStream;

/**
 * Makes a board's console bytes safe to show on the user's terminal: text,
 * line endings, tabs, backspace and CSI sequences (colours, cursor movement)
 * pass; other escape sequences (OSC, DCS and the like, which can set window
 * titles, the clipboard or terminal settings) and other control characters are
 * dropped. A board's output is not trusted. Pure: state carries across calls.
 */
public final class TerminalSanitizer {

    private static final int MAX_CSI = 64;

    private enum State { TEXT, ESCAPE, ESCAPE_INTERMEDIATE, CSI, STRING, STRING_ESCAPE }

    private State state = State.TEXT;
    private final ByteArrayOutputStream csi = new ByteArrayOutputStream();

    /** The bytes to show for {@code length} bytes of {@code input}. */
    public byte[] sanitize(byte[] input, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        for (int i = 0; i < length; i++) {
            int b = input[i] & 0xff;
            switch (state) {
                case TEXT -> text(b, out);
                case ESCAPE -> {
                    if (b == '[') {
                        state = State.CSI;
                        csi.reset();
                        csi.write(0x1b);
                        csi.write('[');
                    } else if (b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_') {
                        state = State.STRING;
                    } else if (b >= 0x20 && b <= 0x2f) {
                        state = State.ESCAPE_INTERMEDIATE;
                    } else {
                        // two-byte sequences (charset selection, keypad modes) are dropped
                        state = State.TEXT;
                        if (b < 0x20) {
                            text(b, out);
                        }
                    }
                }
                case ESCAPE_INTERMEDIATE -> {
                    if (b < 0x20 || b > 0x2f) {
                        state = State.TEXT;
                        if (b < 0x20) {
                            text(b, out);
                        }
                    }
                }
                case CSI -> {
                    if (b >= 0x20 && b <= 0x3f && csi.size() < MAX_CSI) {
                        csi.write(b);
                    } else if (b >= 0x40 && b <= 0x7e) {
                        csi.write(b);
                        out.write(csi.toByteArray(), 0, csi.size());
                        state = State.TEXT;
                    } else {
                        state = State.TEXT;
                        text(b, out);
                    }
                }
                case STRING -> {
                    if (b == 0x07) {
                        state = State.TEXT;
                    } else if (b == 0x1b) {
                        state = State.STRING_ESCAPE;
                    }
                }
                case STRING_ESCAPE -> state = b == '\\' ? State.TEXT : State.STRING;
            }
        }
        return out.toByteArray();
    }

    private void text(int b, ByteArrayOutputStream out) {
        if (b == 0x1b) {
            state = State.ESCAPE;
        } else if (b >= 0x20 && b != 0x7f || b == '\n' || b == '\r' || b == '\t' || b == '\b') {
            out.write(b);
        }
    }
}
