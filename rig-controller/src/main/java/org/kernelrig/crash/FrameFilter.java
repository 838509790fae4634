package org.kernelrig.crash;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Says whether a frame is plumbing not to blame. The pattern is a long alternation, and the same
 * function names come back in every report, so answers are remembered.
 */
final class FrameFilter {

    private static final int MAX_REMEMBERED = 20_000;

    private final Pattern pattern;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    FrameFilter(Pattern pattern) {
        this.pattern = pattern;
    }

    boolean skips(String frame) {
        Boolean known = answers.get(frame);
        if (known != null) {
            return known;
        }
        boolean skip = pattern.matcher(frame).find();
        if (answers.size() >= MAX_REMEMBERED) {
            answers.clear();
        }
        answers.put(frame, skip);
        return skip;
    }
}
