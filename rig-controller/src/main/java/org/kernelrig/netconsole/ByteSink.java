package org.kernelrig.netconsole;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array that text is appended to as UTF-8 without intermediate copies. */
final class ByteSink {

    private byte[] bytes;
    private int length;

    ByteSink(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void append(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    void append(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    /** Appends {@code text[start, end)} as UTF-8. */
    void appendUtf8(String text, int start, int end) {
        ensure(end - start);
        int i = start;
        // Most kernel text is ASCII: copy it byte for byte.
        while (i < end) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                break;
            }
            bytes[length++] = (byte) c;
            i++;
        }
        if (i < end) {
            byte[] rest = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
            append(rest, 0, rest.length);
        }
    }

    void appendUtf8(String text) {
        appendUtf8(text, 0, text.length());
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Gives back memory a burst took, keeping a small buffer. */
    void trim(int keep) {
        if (bytes.length > keep && length <= keep) {
            bytes = Arrays.copyOf(bytes, keep);
        }
    }

    byte[] copy() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
