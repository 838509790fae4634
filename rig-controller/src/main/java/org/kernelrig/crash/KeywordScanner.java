package org.kernelrig.crash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds which keywords occur in a line, each keyword setting its bit (bits 0 to 62, several keywords
 * may share one), and whether the line holds control or non-ASCII bytes ({@link #CONTROL}). It is the
 * cheap filter that keeps regular expressions and substring searches off the lines that cannot matter.
 *
 * <p>It works on bytes. Every position of the line is tested with one hash of the four bytes that
 * start there against a small bit table of the keywords' first four bytes (a keyword of three takes
 * every fourth byte); only where the table says a keyword may start are bytes compared. The tests of
 * different positions do not depend on each other, so the processor runs them side by side, unlike the
 * state-to-state steps of an automaton.
 */
final class KeywordScanner {

    /** The bit set when the text holds a control character other than a tab, or a non-ASCII one. */
    static final long CONTROL = 1L << 63;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int FILTER_BITS = 16;
    private static final int BUCKET_BITS = 10;

    /** One bit per hash of a four-byte window with which some keyword may start. */
    private final long[] filter = new long[1 << FILTER_BITS - 6];
    /** The keywords by the high bits of that hash: indexes into the arrays below. */
    private final int[][] buckets = new int[1 << BUCKET_BITS][];
    private final byte[][] keywords;
    /** The keyword's first bytes, little-endian, and which of the four bytes count. */
    private final int[] heads;
    private final int[] headMasks;
    private final long[] bits;
    private final int[] threeByteKeywords;

    /** Keyword {@code i} sets bit {@code bits.get(i)}. */
    KeywordScanner(List<String> keywords, List<Integer> bits) {
        if (bits.size() != keywords.size() || bits.stream().anyMatch(b -> b < 0 || b > 62)) {
            throw new IllegalArgumentException("one bit from 0 to 62 per keyword");
        }
        int n = keywords.size();
        this.keywords = new byte[n][];
        this.heads = new int[n];
        this.headMasks = new int[n];
        this.bits = new long[n];
        List<List<Integer>> lists = new ArrayList<>();
        for (int b = 0; b < buckets.length; b++) {
            lists.add(new ArrayList<>());
        }
        for (int k = 0; k < n; k++) {
            String keyword = keywords.get(k);
            if (keyword.length() < 3 || !keyword.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("keywords are printable ASCII of three characters or more: " + keyword);
            }
            byte[] bytes = keyword.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            this.keywords[k] = bytes;
            this.bits[k] = 1L << bits.get(k);
            int head = 0;
            for (int i = 0; i < 4 && i < bytes.length; i++) {
                head |= (bytes[i] & 0xff) << 8 * i;
            }
            heads[k] = head;
            headMasks[k] = bytes.length >= 4 ? -1 : 0x00ffffff;
            // a keyword of three bytes is followed by any byte (at the end of the line it is tested apart)
            for (int fourth = 0; fourth < (bytes.length >= 4 ? 1 : 256); fourth++) {
                int window = bytes.length >= 4 ? head : head | fourth << 24;
                int hash = hash(window);
                filter[hash >>> 6] |= 1L << hash;
                List<Integer> bucket = lists.get(hash >>> FILTER_BITS - BUCKET_BITS);
                if (!bucket.contains(k)) {
                    bucket.add(k);
                }
            }
        }
        for (int b = 0; b < buckets.length; b++) {
            buckets[b] = lists.get(b).stream().mapToInt(Integer::intValue).toArray();
        }
        threeByteKeywords = java.util.stream.IntStream.range(0, n).filter(k -> this.keywords[k].length == 3).toArray();
    }

    private static int hash(int window) {
        return window * 0x9E3779B1 >>> 32 - FILTER_BITS;
    }

    /** A bit set of the keywords found in the text: bit k for keyword k (and {@link #CONTROL}). */
    long scan(String text, byte[] buffer) {
        return scan(text, 0, buffer);
    }

    /**
     * Scans a text from a position on, through a buffer of at least the text's length. Characters
     * above U+00FF count by their low byte, as {@link String#getBytes(int, int, byte[], int)} copies them.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy of Latin-1 text
    long scan(String text, int from, byte[] buffer) {
        int n = text.length();
        text.getBytes(from, n, buffer, 0);
        return scan(buffer, 0, n - from);
    }

    /** Scans the bytes {@code from} (inclusive) to {@code to} (exclusive) of a buffer. */
    long scan(byte[] bytes, int from, int to) {
        long found = hasControls(bytes, from, to) ? CONTROL : 0;
        long[] table = filter;
        // four bytes can be read at every position but the last three, where only a keyword of three can start
        for (int i = from, last = to - 3; i < last; i++) {
            int window = (int) INTS.get(bytes, i);
            int hash = hash(window);
            if ((table[hash >>> 6] & 1L << hash) != 0) {
                found |= verify(bytes, i, to, window, hash);
            }
        }
        if (to - from >= 3) {
            int at = to - 3;
            for (int k : threeByteKeywords) {
                if (bytes[at] == keywords[k][0] && bytes[at + 1] == keywords[k][1] && bytes[at + 2] == keywords[k][2]) {
                    found |= bits[k];
                }
            }
        }
        return found;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** Whether a control character other than a tab, or a byte that is not ASCII, is there; eight bytes at a time. */
    static boolean hasControls(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            // a byte below 0x20 or above 0x7e (the test is exact for bytes below 0x80, and those above are caught anyway)
            long below = (word - 0x2020202020202020L) & ~word;
            long delete = word ^ 0x7f7f7f7f7f7f7f7fL;
            long suspicious = (below | (delete - ONES) & ~delete | word) & HIGHS;
            if (suspicious != 0 && hasControlsBytewise(bytes, i, i + 8)) {
                return true;
            }
        }
        return hasControlsBytewise(bytes, i, to);
    }

    private static boolean hasControlsBytewise(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 && b != '\t' || b >= 0x7f) {
                return true;
            }
        }
        return false;
    }

    private long verify(byte[] bytes, int at, int to, int window, int hash) {
        long found = 0;
        for (int k : buckets[hash >>> FILTER_BITS - BUCKET_BITS]) {
            byte[] keyword = keywords[k];
            if ((window & headMasks[k]) != heads[k] || at + keyword.length > to) {
                continue;
            }
            int j = 4;
            while (j < keyword.length && bytes[at + j] == keyword[j]) {
                j++;
            }
            if (j >= keyword.length) {
                found |= bits[k];
            }
        }
        return found;
    }
}
