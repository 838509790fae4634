package org.kernelrig.crash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds which keywords occur in a line, each keyword setting its bit (bits 0 to 62, several keywords
 * may share one), and whether the line holds control or non-ASCII bytes ({@link #CONTROL}). It is the
 * cheap filter that keeps regular expressions and substring searches off the lines that cannot matter.
 *
 * <p>It works on bytes and looks at every other position only. Each keyword is known by two pairs
 * of its bytes, the rarest it has at an even and at an odd place (capitals and punctuation rather
 * than hexadecimal digits, spaces and common bigrams); wherever a keyword occurs, one of its two pairs
 * starts at a position the scan looks at. One bit table of all 65,536 pairs tells whether some keyword
 * holds the pair at hand, four pairs per eight-byte read; only then are bytes compared. The tests of
 * different positions do not depend on each other, so the processor runs them side by side. Pairs
 * that hold a control byte are in the table too: control characters (a serial console's {@code \r},
 * ANSI escapes, bytes that are not ASCII) are found by the same reads.
 */
final class KeywordScanner {

    /** The bit set when the text holds a control character other than a tab, or a non-ASCII one. */
    static final long CONTROL = 1L << 63;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** One bit per pair of bytes (little-endian) that some keyword holds at one of its two chosen places. */
    private final long[] pairs = new long[65536 / 64];
    /** For a pair: the keywords holding it, each as {@code keyword << 8 | offset of the pair in it}. */
    private final int[][] candidates = new int[65536][];
    private final byte[][] keywords;
    private final long[] bits;

    /** Keyword {@code i} sets bit {@code bits.get(i)}. */
    KeywordScanner(List<String> keywords, List<Integer> bits) {
        if (bits.size() != keywords.size() || bits.stream().anyMatch(b -> b < 0 || b > 62)) {
            throw new IllegalArgumentException("one bit from 0 to 62 per keyword");
        }
        int n = keywords.size();
        this.keywords = new byte[n][];
        this.bits = new long[n];
        List<List<Integer>> lists = new ArrayList<>();
        for (int pair = 0; pair < 65536; pair++) {
            lists.add(null);
        }
        for (int k = 0; k < n; k++) {
            String keyword = keywords.get(k);
            if (keyword.length() < 3 || keyword.length() > 255 || !keyword.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("keywords are printable ASCII of 3 to 255 characters: " + keyword);
            }
            byte[] bytes = keyword.getBytes(StandardCharsets.US_ASCII);
            this.keywords[k] = bytes;
            this.bits[k] = 1L << bits.get(k);
            for (int offset : rarestPairs(bytes)) {
                int pair = pair(bytes, offset);
                pairs[pair >>> 6] |= 1L << pair;
                if (lists.get(pair) == null) {
                    lists.set(pair, new ArrayList<>());
                }
                lists.get(pair).add(k << 8 | offset);
            }
        }
        for (int pair = 0; pair < 65536; pair++) {
            if (isControl((byte) pair) || isControl((byte) (pair >>> 8))) {
                pairs[pair >>> 6] |= 1L << pair;
            }
            if (lists.get(pair) != null) {
                candidates[pair] = lists.get(pair).stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    private static int pair(byte[] bytes, int at) {
        return bytes[at] & 0xff | (bytes[at + 1] & 0xff) << 8;
    }

    /**
     * The printable ASCII bytes from the most to the least frequent in kernel console logs, as counted
     * in syzkaller's corpus of crash logs: hexadecimal digits, spaces and brackets fill them.
     */
    private static final String BY_FREQUENCY = " 01fe8243[]_56x79ac.trdosn:il/+bpukm=RTCgh?-vyw)(S>IP<,DGAqEXBLNUOz#F*}{M&KH\"jY'QVW!$@;|Z^\\J`%~";

    /** The pairs of lower-case letters kernel messages hold most, most frequent first. */
    private static final String COMMON_BIGRAMS = "ff re in er oc te ck lo ac de le al ed or ce at tr nt ne on et st ra ec es "
            + "ti se ea ad en ta co ll ro ar it he ut nd om as mp an ch sy pt me el ev pr ca ng fc ex un ri is ge pa rk";

    /**
     * Where the two pairs of a keyword to look for start: the pair the console holds least often at
     * an even place of the keyword and the one at an odd place. Wherever the keyword starts, one of
     * them falls on a position the scan reads.
     */
    private static int[] rarestPairs(byte[] keyword) {
        int[] best = {0, 1};
        double[] bestScore = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int at = 0; at + 1 < keyword.length; at++) {
            // how often the pair turns up: its bytes taken as independent, unless they are a common bigram
            double score = frequency(keyword[at]) * frequency(keyword[at + 1])
                    * (COMMON_BIGRAMS.contains(new String(keyword, at, 2, StandardCharsets.US_ASCII)) ? 20 : 1);
            if (score < bestScore[at % 2]) {
                best[at % 2] = at;
                bestScore[at % 2] = score;
            }
        }
        return best;
    }

    /** A byte's share of console text, roughly: falling with its rank in {@link #BY_FREQUENCY} as word counts do. */
    private static double frequency(byte b) {
        int rank = BY_FREQUENCY.indexOf(b);
        return 1.0 / (1 + (rank < 0 ? BY_FREQUENCY.length() : rank));
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
        long found = 0;
        long[] table = pairs;
        // A keyword of three bytes or more has one of its two pairs at a position of this parity, and
        // the pairs read cover every byte but an odd last one: a control byte's pair is in the table too.
        int i = from;
        // eight bytes, four pairs, one read; most reads find no pair of the table
        for (int last = to - 8; i <= last; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            int p0 = (int) word & 0xffff;
            int p1 = (int) (word >>> 16) & 0xffff;
            int p2 = (int) (word >>> 32) & 0xffff;
            int p3 = (int) (word >>> 48);
            if (((table[p0 >>> 6] >>> p0 | table[p1 >>> 6] >>> p1 | table[p2 >>> 6] >>> p2 | table[p3 >>> 6] >>> p3)
                    & 1) != 0) {
                found |= verifyPairs(bytes, from, to, i, i + 8);
            }
        }
        for (int last = to - 2; i <= last; i += 2) {
            int pair = (short) SHORTS.get(bytes, i) & 0xffff;
            if ((table[pair >>> 6] & 1L << pair) != 0) {
                found |= verify(bytes, from, to, i, pair);
            }
        }
        if (i < to && isControl(bytes[i])) {
            found |= CONTROL;
        }
        return found;
    }

    /** The pairs at even distances from {@code at} up to {@code end}, each looked up and verified. */
    private long verifyPairs(byte[] bytes, int from, int to, int at, int end) {
        long found = 0;
        for (int i = at; i < end; i += 2) {
            int pair = (short) SHORTS.get(bytes, i) & 0xffff;
            if ((pairs[pair >>> 6] & 1L << pair) != 0) {
                found |= verify(bytes, from, to, i, pair);
            }
        }
        return found;
    }

    /** A control character other than a tab, or a byte that is not ASCII. */
    private static boolean isControl(byte b) {
        return b < 0x20 && b != '\t' || b >= 0x7f;
    }

    /** The keywords that hold the pair at {@code at} and are there in full. */
    private long verify(byte[] bytes, int from, int to, int at, int pair) {
        long found = isControl((byte) pair) || isControl((byte) (pair >>> 8)) ? CONTROL : 0;
        int[] keywordsHere = candidates[pair];
        if (keywordsHere == null) {
            return found;
        }
        for (int candidate : keywordsHere) {
            byte[] keyword = keywords[candidate >>> 8];
            int start = at - (candidate & 0xff);
            if (start < from || start + keyword.length > to) {
                continue;
            }
            int j = 0;
            while (j < keyword.length && bytes[start + j] == keyword[j]) {
                j++;
            }
            if (j == keyword.length) {
                found |= bits[candidate >>> 8];
            }
        }
        return found;
    }
}
