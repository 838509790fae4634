package org.kernelrig.crash;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a title format finds its frame: a sequence of parts, each either a pattern whose groups are
 * frames (a {@code RIP:} line) or {@link TitleRules#STACK} (the frames of a stack trace up to the
 * next part or the next trace), and an alternative sequence tried when the first finds nothing.
 *
 * @param parts   the parts, in the order they appear in the report
 * @param parts2  the parts tried when {@code parts} yields no frame, or empty
 * @param skip    frames not to blame for this format, beyond the common plumbing
 * @param chooser how to choose the frame among those found
 */
record StackRule(List<Pattern> parts, List<Pattern> parts2, FrameFilter skip, FrameChooser chooser) {

    /** Chooses the frame to blame among the frames of a stack, with prefixes such as {@code __x64_sys_} taken off. */
    interface FrameChooser {
        /** The index of the chosen frame, or -1; may also rename it through {@code renamed[0]}. */
        int choose(List<String> frames, String[] renamed);
    }

    static final FrameChooser FIRST = (frames, renamed) -> frames.isEmpty() ? -1 : 0;
}
