package org.kernelrig.crash;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One way a crash report is titled: the pattern that recognises it, an optional pattern whose groups
 * feed the title, the title template ({@code %1}, {@code %2}, ... are the groups of the report
 * pattern followed by the frames the stack rule finds), and the crash kind.
 *
 * @param kind         the kind of crash this format describes
 * @param title        recognises the report
 * @param report       when present, must also match, and provides the groups
 * @param template     the title, with {@code %n} placeholders
 * @param alternatives other titles of the same crash
 * @param stack        how to find the frames, or null
 * @param noStackTrace the report normally has no stack trace (not corrupted without one)
 * @param corrupted    a report matching only this format is corrupted
 * @param spansLines   the title pattern can match across lines, so it is tried on the whole report
 * @param needle       text the report must contain for the title pattern to match, or empty: a cheap
 *                     test before a pattern that searches the whole report
 * @param prefix       the literal text the title pattern starts with: a cheap test before the pattern
 */
record TitleFormat(CrashKind kind, Pattern title, Pattern report, String template, List<String> alternatives,
        StackRule stack, boolean noStackTrace, boolean corrupted, boolean spansLines, String needle,
        String prefix) {

    /** Whether a title pattern can match across lines: it must then be tried on the whole report. */
    static boolean spansLines(Pattern title) {
        String re = title.pattern();
        return re.contains(".*\\n") || re.contains("[\\s\\S]");
    }

    /**
     * The literal text a pattern starts with: up to its first special character, without a last
     * character that a quantifier makes optional.
     */
    static String literalPrefix(Pattern pattern) {
        String re = pattern.pattern();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if ("\\.[]{}()*+?|^$".indexOf(c) >= 0) {
                if ((c == '*' || c == '?' || c == '{') && prefix.length() > 0) {
                    prefix.setLength(prefix.length() - 1);
                }
                break;
            }
            prefix.append(c);
        }
        return prefix.toString();
    }

    /** Fills {@code %1}..{@code %9} with the arguments; a missing argument becomes the empty string. */
    static String fill(String template, List<String> args) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length() && Character.isDigit(template.charAt(i + 1))) {
                int index = template.charAt(i + 1) - '1';
                if (index >= 0 && index < args.size() && args.get(index) != null) {
                    out.append(args.get(index));
                }
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
