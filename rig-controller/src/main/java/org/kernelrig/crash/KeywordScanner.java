package org.kernelrig.crash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * Finds which keywords occur in a line in one pass (an Aho-Corasick automaton over ASCII), each
 * keyword setting its bit (bits 0 to 62, several keywords may share one), and whether the line holds
 * control or non-ASCII characters ({@link #CONTROL}). It is the cheap filter that keeps regular
 * expressions and substring searches off the lines that cannot matter.
 */
final class KeywordScanner {

    private static final int ALPHABET = 128;
    /** The bit set when the text holds a control character other than a tab, or a non-ASCII one. */
    static final long CONTROL = 1L << 63;
    /**
     * Transitions: entry {@code row + character} is the row of the next state ({@code state * 128}),
     * negative when that state reports keywords (then {@code ~entry} is the row).
     */
    private final int[] table;
    /** The bits a state reports, by row / 128. */
    private final long[] output;

    KeywordScanner(List<String> keywords) {
        this(keywords, java.util.stream.IntStream.range(0, keywords.size()).boxed().toList());
    }

    /** Keyword {@code i} sets bit {@code bits.get(i)}. */
    KeywordScanner(List<String> keywords, List<Integer> bits) {
        if (bits.size() != keywords.size() || bits.stream().anyMatch(b -> b < 0 || b > 62)) {
            throw new IllegalArgumentException("one bit from 0 to 62 per keyword");
        }
        List<int[]> gotos = new ArrayList<>();
        List<Long> outputList = new ArrayList<>();
        gotos.add(newRow());
        outputList.add(0L);
        for (int k = 0; k < keywords.size(); k++) {
            int state = 0;
            for (char c : keywords.get(k).toCharArray()) {
                if (c >= ALPHABET) {
                    throw new IllegalArgumentException("keywords must be ASCII: " + keywords.get(k));
                }
                if (gotos.get(state)[c] < 0) {
                    gotos.get(state)[c] = gotos.size();
                    gotos.add(newRow());
                    outputList.add(0L);
                }
                state = gotos.get(state)[c];
            }
            outputList.set(state, outputList.get(state) | 1L << bits.get(k));
        }
        int states = gotos.size();
        int[][] next = new int[states][];
        long[] outputs = new long[states];
        int[] fail = new int[states];
        for (int s = 0; s < states; s++) {
            next[s] = gotos.get(s).clone();
            outputs[s] = outputList.get(s);
        }
        Queue<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            if (next[0][c] < 0) {
                next[0][c] = 0;
            } else {
                fail[next[0][c]] = 0;
                queue.add(next[0][c]);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.remove();
            outputs[s] |= outputs[fail[s]];
            for (int c = 0; c < ALPHABET; c++) {
                int t = next[s][c];
                if (t < 0) {
                    next[s][c] = next[fail[s]][c];
                } else {
                    fail[t] = next[fail[s]][c];
                    queue.add(t);
                }
            }
        }
        // one more state, entered on a control character: it reports CONTROL and then goes on as the root
        int control = states;
        table = new int[(states + 1) * ALPHABET];
        for (int s = 0; s < states; s++) {
            System.arraycopy(next[s], 0, table, s * ALPHABET, ALPHABET);
        }
        System.arraycopy(next[0], 0, table, control * ALPHABET, ALPHABET);
        for (int s = 0; s <= states; s++) {
            for (int c = 0; c < 0x20; c++) {
                if (c != '\t') {
                    table[s * ALPHABET + c] = control;
                }
            }
            table[s * ALPHABET + 0x7f] = control;
        }
        output = Arrays.copyOf(outputs, states + 1);
        output[control] = CONTROL;
        for (int i = 0; i < table.length; i++) {
            int target = table[i];
            table[i] = output[target] != 0 ? ~(target * ALPHABET) : target * ALPHABET;
        }
    }

    private static int[] newRow() {
        int[] row = new int[ALPHABET];
        Arrays.fill(row, -1);
        return row;
    }

    /** A bit set of the keywords found in the text: bit k for keyword k (and {@link #CONTROL}). */
    long scan(String text, byte[] buffer) {
        return scan(text, 0, buffer);
    }

    /** Scans the text from a position on, through a buffer of at least the text's length. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy of Latin-1 text
    long scan(String text, int from, byte[] buffer) {
        int n = text.length();
        text.getBytes(from, n, buffer, 0);
        n -= from;
        int row = 0;
        long found = 0;
        int[] next = table;
        for (int i = 0; i < n; i++) {
            int c = buffer[i];
            if (c < 0) {
                // not ASCII (or a character above U+00FF cut to its low byte)
                row = 0;
                found |= CONTROL;
                continue;
            }
            row = next[row + c];
            if (row < 0) {
                row = ~row;
                found |= output[row / ALPHABET];
            }
        }
        return found;
    }
}
