package org.kernelrig.netconsole;

import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes a patient sent into text that is safe to store and show:
 * invalid UTF-8 becomes U+FFFD, and control characters other than newline
 * and tab are written as {@code \xNN}, the escape the kernel itself uses in
 * extended records, so no terminal escape sequence from a board reaches a
 * screen.
 */
final class DatagramText {

    private DatagramText() {
    }

    static String sanitize(byte[] bytes, int offset, int length) {
        if (isPlainAscii(bytes, offset, length)) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        String decoded = new String(bytes, offset, length, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(decoded.length() + 16);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (isControl(c)) {
                out.append("\\x").append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String sanitize(byte[] bytes) {
        return sanitize(bytes, 0, bytes.length);
    }

    /** Whether the bytes are printable ASCII, newlines and tabs only: safe as they are. */
    static boolean isPlainAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = bytes[i];
            if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
                return false; // also catches every byte >= 0x80, which is negative
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }
}
