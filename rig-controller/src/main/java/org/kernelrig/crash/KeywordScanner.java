package org.kernelrig.crash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * Finds which of up to 64 keywords occur in a line in one pass (an Aho-Corasick automaton over
 * ASCII). It is the cheap filter that keeps regular expressions off the lines that cannot start a crash.
 */
final class KeywordScanner {

    private static final int ALPHABET = 128;
    /** Transitions, {@code state * 128 + character}. */
    private final int[] table;
    private final long[] output;

    KeywordScanner(List<String> keywords) {
        if (keywords.size() > 64) {
            throw new IllegalArgumentException("at most 64 keywords");
        }
        List<int[]> gotos = new ArrayList<>();
        List<Long> outputs = new ArrayList<>();
        gotos.add(newRow());
        outputs.add(0L);
        for (int k = 0; k < keywords.size(); k++) {
            int state = 0;
            for (char c : keywords.get(k).toCharArray()) {
                if (c >= ALPHABET) {
                    throw new IllegalArgumentException("keywords must be ASCII: " + keywords.get(k));
                }
                if (gotos.get(state)[c] < 0) {
                    gotos.get(state)[c] = gotos.size();
                    gotos.add(newRow());
                    outputs.add(0L);
                }
                state = gotos.get(state)[c];
            }
            outputs.set(state, outputs.get(state) | 1L << k);
        }
        int states = gotos.size();
        int[][] next = new int[states][];
        output = new long[states];
        int[] fail = new int[states];
        for (int s = 0; s < states; s++) {
            next[s] = gotos.get(s).clone();
            output[s] = outputs.get(s);
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
            output[s] |= output[fail[s]];
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
        table = new int[states * ALPHABET];
        for (int s = 0; s < states; s++) {
            System.arraycopy(next[s], 0, table, s * ALPHABET, ALPHABET);
        }
    }

    private static int[] newRow() {
        int[] row = new int[ALPHABET];
        Arrays.fill(row, -1);
        return row;
    }

    /** A bit set of the keywords found in the text: bit k for keyword k. */
    long scan(CharSequence text) {
        int state = 0;
        long found = 0;
        int[] next = table;
        long[] out = output;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= ALPHABET) {
                state = 0;
                continue;
            }
            state = next[state * ALPHABET + c];
            found |= out[state];
        }
        return found;
    }
}
