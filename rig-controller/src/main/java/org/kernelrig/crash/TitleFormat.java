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
 * @param prefix       the literal text the title pattern starts with
 * @param titleFilter  what any match of the title pattern contains: a cheap test before the pattern
 * @param reportFilter the same for the report pattern, or null when there is none
 */
record TitleFormat(CrashKind kind, Pattern title, Pattern report, String template, List<String> alternatives,
        StackRule stack, boolean noStackTrace, boolean corrupted, boolean spansLines, String needle,
        String prefix, TitleRules.Prefilter titleFilter, TitleRules.Prefilter reportFilter) {

    /** Whether the text holds what the title pattern needs. */
    boolean mayMatch(String text) {
        return titleFilter.mayMatch(text);
    }

    /**
     * The literal texts every match of a pattern contains: the runs of plain characters outside
     * groups, classes and quantified characters. None when the pattern has a top-level alternative.
     */
    static List<String> requiredLiterals(Pattern pattern) {
        return requiredLiterals(pattern.pattern());
    }

    /**
     * For a pattern made of alternatives ({@code a|b|c}, possibly inside one group), a literal text of
     * each alternative: every match contains one of them. Null when the pattern has no top-level
     * alternative or an alternative holds no literal text.
     */
    static List<String> alternativeLiterals(Pattern pattern) {
        String re = pattern.pattern();
        if (re.startsWith("(") && skipGroup(re, 0) == re.length() - 1) {
            re = re.substring(re.startsWith("(?:") ? 3 : 1, re.length() - 1);
        }
        return alternativeLiterals(re);
    }

    /**
     * For each group at the top level of a pattern that every match goes through (no {@code ?},
     * {@code *} or {@code {0} after it) and that is made of alternatives, a literal text of each
     * alternative ({@code (Read|Write)} gives {@code [Read, Write]}).
     */
    static List<List<String>> groupAlternatives(Pattern pattern) {
        String re = pattern.pattern();
        List<List<String>> groups = new java.util.ArrayList<>();
        for (int i = 0; i < re.length(); i = skipAtom(re, i) + 1) {
            char c = re.charAt(i);
            if (c == '|') {
                // a top-level alternative: no group is on every path
                return List.of();
            } else if (c == '(') {
                int close = skipGroup(re, i);
                char after = close + 1 < re.length() ? re.charAt(close + 1) : ' ';
                boolean required = after != '?' && after != '*' && after != '{';
                if (required && close < re.length() && !re.startsWith("(?=", i) && !re.startsWith("(?!", i)
                        && !re.startsWith("(?<", i)) {
                    String inner = re.substring(re.startsWith("(?:", i) ? i + 3 : i + 1, close);
                    List<String> needles = alternativeLiterals(inner);
                    if (needles != null) {
                        groups.add(needles);
                    }
                }
            }
        }
        return List.copyOf(groups);
    }

    /** The index of the last character of the escape, class or group at {@code i}, or {@code i}. */
    private static int skipAtom(String re, int i) {
        return switch (re.charAt(i)) {
            case '\\' -> i + 1;
            case '[' -> skipClass(re, i);
            case '(' -> skipGroup(re, i);
            default -> i;
        };
    }

    private static List<String> alternativeLiterals(String re) {
        List<String> alternatives = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < re.length(); i = skipAtom(re, i) + 1) {
            if (re.charAt(i) == '|') {
                alternatives.add(re.substring(start, i));
                start = i + 1;
            }
        }
        alternatives.add(re.substring(start));
        if (alternatives.size() < 2) {
            return null;
        }
        List<String> needles = new java.util.ArrayList<>();
        for (String alternative : alternatives) {
            String longest = "";
            for (String literal : requiredLiterals(alternative)) {
                longest = literal.length() > longest.length() ? literal : longest;
            }
            if (longest.isEmpty()) {
                return null;
            }
            needles.add(longest);
        }
        return List.copyOf(needles);
    }

    private static List<String> requiredLiterals(String re) {
        List<String> literals = new java.util.ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    char next = i + 1 < re.length() ? re.charAt(i + 1) : ' ';
                    i++;
                    if (!Character.isLetterOrDigit(next)) {
                        run.append(next);
                    } else {
                        flush(run, literals);
                    }
                }
                case '(' -> {
                    flush(run, literals);
                    i = skipGroup(re, i);
                }
                case '[' -> {
                    flush(run, literals);
                    i = skipClass(re, i);
                }
                case '*', '?' -> {
                    if (run.length() > 0) {
                        run.setLength(run.length() - 1);
                    }
                    flush(run, literals);
                }
                case '{' -> {
                    if (run.length() > 0) {
                        run.setLength(run.length() - 1);
                    }
                    flush(run, literals);
                    int close = re.indexOf('}', i);
                    i = close < 0 ? re.length() : close;
                }
                case '|' -> {
                    return List.of();
                }
                case '.', '+', '^', '$', ')' -> flush(run, literals);
                default -> run.append(c);
            }
        }
        flush(run, literals);
        return List.copyOf(literals);
    }

    private static void flush(StringBuilder run, List<String> literals) {
        if (run.length() > 0) {
            literals.add(run.toString());
            run.setLength(0);
        }
    }

    /** The index of the ')' that closes the group opening at {@code open}. */
    private static int skipGroup(String re, int open) {
        int depth = 0;
        for (int i = open; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = skipClass(re, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                // a quantifier after the group needs no special care: the group is skipped anyway
                return i;
            }
        }
        return re.length();
    }

    /** The index of the ']' that closes the class opening at {@code open}. */
    private static int skipClass(String re, int open) {
        int i = open + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++;
        }
        for (; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                return i;
            }
        }
        return re.length();
    }

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
