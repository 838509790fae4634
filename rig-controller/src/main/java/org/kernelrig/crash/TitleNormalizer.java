package org.kernelrig.crash;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Makes a title the same for the same crash on every boot: addresses become {@code ADDR}, numbers
 * {@code NUM}, line numbers {@code LINE}, IP addresses {@code IP}; control characters go, runs of
 * spaces shrink to one and the title is cut at 120 characters.
 */
final class TitleNormalizer {

    private record Replacement(Pattern pattern, String with) {
    }

    private static final List<Replacement> REPLACEMENTS = List.of(
            new Replacement(Pattern.compile("syz-executor\\.?[0-9]+((/|:)[0-9]+)?"), "syz-executor"),
            new Replacement(Pattern.compile("syzkaller[0-9]+((/|:)[0-9]+)?"), "syzkaller"),
            new Replacement(Pattern.compile("([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}"), "$1ADDR"),
            new Replacement(Pattern.compile("([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})"), "IP"),
            new Replacement(Pattern.compile("(\\.\\w+)(:[0-9]+)+"), "$1:LINE"),
            new Replacement(Pattern.compile("([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+"), "$1"),
            new Replacement(Pattern.compile("CPU#[0-9]+"), "CPU"),
            new Replacement(Pattern.compile("(\\W)(\\d+)(\\W|$)"), "$1NUM$3"),
            new Replacement(Pattern.compile("(\\d+){7,}"), "NUM"));

    /** Only the hexadecimal address rule can change a title without digits ({@code ffffff}). */
    private static final List<Replacement> WITHOUT_DIGITS = List.of(REPLACEMENTS.get(2));

    private static final int MAX_LENGTH = 120;

    private TitleNormalizer() {
    }

    /** Titles come back with every repeat of a crash: remembered, within a bound. */
    private static final Map<String, String> KNOWN = new ConcurrentHashMap<>();
    private static final int MAX_KNOWN = 10_000;

    static String normalize(String title) {
        String known = KNOWN.get(title);
        if (known != null) {
            return known;
        }
        String result = rewrite(title);
        if (KNOWN.size() >= MAX_KNOWN) {
            KNOWN.clear();
        }
        KNOWN.put(title, result);
        return result;
    }

    private static String rewrite(String title) {
        String result = title;
        boolean digits = false;
        for (int i = 0; i < title.length() && !digits; i++) {
            digits = Character.isDigit(title.charAt(i));
        }
        for (Replacement replacement : digits ? REPLACEMENTS : WITHOUT_DIGITS) {
            while (true) {
                String next = replacement.pattern().matcher(result).replaceAll(replacement.with());
                if (next.equals(result)) {
                    break;
                }
                result = next;
            }
        }
        return sanitize(result);
    }

    private static String sanitize(String title) {
        StringBuilder out = new StringBuilder(Math.min(title.length(), MAX_LENGTH));
        char previous = ' ';
        for (int i = 0; i < title.length() && i < MAX_LENGTH; i++) {
            char c = title.charAt(i);
            if (c == '\t') {
                c = ' ';
            } else if (c < 0x20 || c >= 0x7f) {
                continue;
            }
            if (c == ' ' && previous == ' ') {
                continue;
            }
            out.append(c);
            previous = c;
        }
        return out.toString().trim();
    }
}
