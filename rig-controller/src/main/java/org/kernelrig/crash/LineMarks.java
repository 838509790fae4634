package org.kernelrig.crash;

import java.util.ArrayList;
import java.util.List;

/**
 * What one scan of a line finds in it: the crash headers it may start ({@link TitleRules#HEADERS},
 * bit i for header i) and the texts the analysis looks for on every line of a crash, so that no line
 * is searched twice.
 */
final class LineMarks {

    static final long PANIC = 1L << 40;
    static final long LOCK_DEBUGGING_OFF = 1L << 41;
    static final long NMI_BACKTRACE = 1L << 42;
    static final long CIRCULAR_LOCKING = 1L << 43;
    static final long REPLAYED = 1L << 44;
    static final long INFO_WITH_STACK = 1L << 45;
    static final long STARTS_INSIDE_REPORT = 1L << 46;
    static final long END_MARKER = 1L << 48;
    static final long PANIC_TAIL = 1L << 49;
    /** A text that starts a stack trace inside a report may be there ({@link StackStarts}). */
    static final long STACK_START = 1L << 50;
    /** A fault injection frame may be there. */
    static final long INJECTED_FAULT = 1L << 51;
    static final long CONTROL = KeywordScanner.CONTROL;
    /** The marks of lines that matter even to crashes that have ended. */
    static final long WAKES_ENDED_CRASHES = PANIC | END_MARKER | PANIC_TAIL;
    /** The header bits. */
    static final long HEADERS = (1L << TitleRules.HEADERS.size()) - 1;

    static final KeywordScanner SCANNER = scanner();

    private LineMarks() {
    }

    private static KeywordScanner scanner() {
        List<String> keywords = new ArrayList<>();
        List<Integer> bits = new ArrayList<>();
        for (int i = 0; i < TitleRules.HEADERS.size(); i++) {
            keywords.add(TitleRules.HEADERS.get(i).keyword());
            bits.add(i);
        }
        add(keywords, bits, PANIC, "Kernel panic - not syncing");
        add(keywords, bits, LOCK_DEBUGGING_OFF, "Disabling lock debugging due to kernel taint");
        add(keywords, bits, NMI_BACKTRACE, "Sending NMI from CPU");
        add(keywords, bits, CIRCULAR_LOCKING, "WARNING: possible circular locking dependency detected");
        add(keywords, bits, REPLAYED, CrashAnalyzer.REPLAYED);
        for (String info : TitleRules.INFO_WITH_STACK) {
            add(keywords, bits, INFO_WITH_STACK, info);
        }
        for (String inside : TitleRules.STARTS_INSIDE_REPORT) {
            add(keywords, bits, STARTS_INSIDE_REPORT, inside);
        }
        add(keywords, bits, END_MARKER, "---[ end ");
        for (String tail : List.of("Kernel Offset:", "Rebooting in ", "Shutting down cpus with NMI")) {
            add(keywords, bits, PANIC_TAIL, tail);
        }
        // each text of StackStarts holds one of these
        for (String start : List.of("Call Trace", "Call trace", "Backtrace:", "backtrace", "Allocated", "Freed",
                "Uninit was stored to memory at")) {
            add(keywords, bits, STACK_START, start);
        }
        add(keywords, bits, INJECTED_FAULT, "should_fail");
        return new KeywordScanner(keywords, bits);
    }

    private static void add(List<String> keywords, List<Integer> bits, long bit, String keyword) {
        keywords.add(keyword);
        bits.add(Long.numberOfTrailingZeros(bit));
    }

    /** What a title needs to know of a line with these marks ({@link TitleExtractor#MAY_START_STACK}...). */
    static int titleHints(long marks) {
        return ((marks & STACK_START) != 0 ? TitleExtractor.MAY_START_STACK : 0)
                | ((marks & INJECTED_FAULT) != 0 ? TitleExtractor.MAY_INJECT_FAULT : 0);
    }

    /** Scans the text from a position on, through a buffer of at least the text's length. */
    static long scan(String text, int from, byte[] buffer) {
        return SCANNER.scan(text, from, buffer);
    }

    /** Scans the bytes {@code from} (inclusive) to {@code to} (exclusive) of a buffer. */
    static long scan(byte[] bytes, int from, int to) {
        return SCANNER.scan(bytes, from, to);
    }
}
