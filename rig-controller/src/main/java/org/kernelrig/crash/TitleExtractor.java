package org.kernelrig.crash;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Titles one crash report: picks the title format that matches earliest, fills it with the
 * groups of its patterns and the frame its stack rule blames, and decides whether the report is
 * corrupted (no usable stack trace where one is expected).
 */
final class TitleExtractor {

    /** The outcome: title, alternative titles, the reason the report is corrupted (or null), the format. */
    record Result(String title, List<String> alternatives, String corruptedReason, TitleFormat format) {
    }

    private record Frames(List<String> canonical, List<String> raw, boolean ok) {
    }

    private TitleExtractor() {
    }

    /** A line may start a stack trace ({@link StackStarts}); without the bit it does not. */
    static final int MAY_START_STACK = 1;
    /** A line may be a fault injection frame ({@link TitleRules#CORRUPTED_LINE}). */
    static final int MAY_INJECT_FAULT = 2;
    static final int UNKNOWN = MAY_START_STACK | MAY_INJECT_FAULT;

    /**
     * What a report's lines may hold, as the scan of the console found it: lines without a bit are
     * not searched for it again. Line {@code i} of a list taken from line {@code offset} on is
     * line {@code i + offset} of the report; lines past the report's (the empty last line of a list
     * split from the report's text) are unknown.
     */
    private record Hints(int[] hints, int offset) {

        int of(int line) {
            int at = line + offset;
            return at >= hints.length ? UNKNOWN : hints[at];
        }
    }

    /**
     * Titles a report whose line {@code i} may hold only what {@code hints[i]} says
     * ({@link #MAY_START_STACK}, {@link #MAY_INJECT_FAULT}).
     */
    static Result extract(OopsHeader header, List<String> lines, int[] hints) {
        // the report as one text, for the patterns that span lines; built only when one is tried
        String text = null;
        // The header line starts the report and nearly always holds the title: look there first.
        String firstLine = lines.get(0) + "\n";
        List<TitleFormat> formats = header.formats();
        Matcher[] firstLineMatches = new Matcher[formats.size()];
        boolean onFirstLine = false;
        // No format can match before the header's keyword when they all start with it: a match there
        // of a format that needs nothing more beats the formats after it.
        int earliest = header.formatsStartWithKeyword() ? firstLine.indexOf(header.keyword()) : -1;
        for (int i = 0; i < formats.size(); i++) {
            TitleFormat format = formats.get(i);
            if (!format.spansLines() && format.mayMatch(firstLine)) {
                Matcher m = format.title().matcher(firstLine);
                if (m.find()) {
                    firstLineMatches[i] = m;
                    onFirstLine = true;
                    if (m.start() == earliest && format.report() == null) {
                        break;
                    }
                }
            }
        }
        int start = Integer.MAX_VALUE;
        String title = null;
        String corrupted = null;
        TitleFormat chosen = null;
        boolean matchedTitle = false;
        Set<String> alternatives = new LinkedHashSet<>();
        for (int i = 0; i < formats.size(); i++) {
            TitleFormat format = formats.get(i);
            Matcher m;
            boolean inFirstLine = onFirstLine && !format.spansLines();
            if (inFirstLine) {
                m = firstLineMatches[i];
                if (m == null) {
                    continue;
                }
            } else {
                if (text == null) {
                    text = join(lines);
                }
                // needles and literals hold no line end: one search of the whole text stands for one per line
                if (!format.needle().isEmpty() && !text.contains(format.needle()) || !format.mayMatch(text)) {
                    continue;
                }
                m = format.title().matcher(text);
                if (!m.find()) {
                    continue;
                }
            }
            if (m.start() > start || m.start() == start && title != null) {
                continue;
            }
            if (m.start() < start) {
                title = null;
                chosen = null;
                alternatives.clear();
                start = m.start();
            }
            matchedTitle = true;
            if (format.report() != null) {
                if (text == null) {
                    text = join(lines);
                }
                inFirstLine = false;
                if (!format.reportFilter().mayMatch(text)) {
                    continue;
                }
                m = format.report().matcher(text);
                if (!m.find()) {
                    continue;
                }
            }
            List<String> groups = new ArrayList<>();
            for (int g = 1; g <= m.groupCount(); g++) {
                groups.add(m.group(g) == null ? "" : m.group(g));
            }
            corrupted = null;
            Frames frames = new Frames(List.of(), List.of(), true);
            if (format.stack() != null) {
                int line = inFirstLine ? 0 : lineOf(text, m.start());
                int column = inFirstLine ? m.start() : m.start() - lineStart(text, m.start());
                frames = frames(format.stack(), linesFrom(lines, line, column), new Hints(hints, line));
                if (!frames.ok()) {
                    corrupted = "no frames in the stack trace";
                }
            }
            List<String> args = new ArrayList<>(groups);
            args.addAll(frames.canonical());
            title = TitleFormat.fill(format.template(), args);
            alternatives.clear();
            for (String alt : format.alternatives()) {
                alternatives.add(TitleFormat.fill(alt, args));
            }
            for (List<String> partial : partiallyStripped(frames.raw())) {
                List<String> altArgs = new ArrayList<>(groups);
                altArgs.addAll(partial);
                String altTitle = TitleFormat.fill(format.template(), altArgs);
                if (!altTitle.equals(title)) {
                    alternatives.add(altTitle);
                }
                for (String alt : format.alternatives()) {
                    alternatives.add(TitleFormat.fill(alt, altArgs));
                }
            }
            chosen = format;
        }
        if (title == null) {
            if (matchedTitle) {
                corrupted = "the report does not match its format";
            }
            title = header.keyword();
            for (String line : lines) {
                int pos = line.indexOf(header.keyword());
                if (pos >= 0) {
                    title = line.substring(pos);
                    break;
                }
            }
        }
        if (corrupted == null && chosen != null && chosen.corrupted()) {
            corrupted = "the report matches only a format for damaged reports";
        }
        String finalTitle = TitleNormalizer.normalize(title);
        List<String> alts = new ArrayList<>();
        for (String alt : alternatives) {
            alts.add(TitleNormalizer.normalize(alt));
        }
        if (corrupted == null) {
            corrupted = corruption(finalTitle, lines, new Hints(hints, 0), chosen);
        }
        return new Result(finalTitle, alts, corrupted, chosen);
    }

    private static String join(List<String> lines) {
        int size = 0;
        for (String line : lines) {
            size += line.length() + 1;
        }
        StringBuilder text = new StringBuilder(size);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** Walks the parts of a stack rule over the lines; the frames each stack yields, and whether all were found. */
    private static Frames frames(StackRule rule, List<String> lines, Hints hints) {
        Frames frames = frames(rule, rule.parts(), lines, hints);
        if (frames.ok() || rule.parts2().isEmpty()) {
            return frames;
        }
        return frames(rule, rule.parts2(), lines, hints);
    }

    private static Frames frames(StackRule rule, List<Pattern> parts, List<String> lines, Hints hints) {
        List<String> canonical = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        List<String> found = new ArrayList<>();
        boolean ok = true;
        int stacks = 0;
        int line = 0;
        int part = 0;
        while (true) {
            if (part == parts.size() || parts.get(part) == TitleRules.STACK && stacks > 0) {
                String[] chosen = choose(rule, found);
                if (chosen == null) {
                    canonical.add("corrupted");
                    raw.add("corrupted");
                    ok = false;
                } else {
                    canonical.add(chosen[0]);
                    raw.add(chosen[1]);
                }
                found = new ArrayList<>();
            }
            if (part == parts.size()) {
                break;
            }
            Pattern current = parts.get(part);
            boolean advanced = false;
            if (current == TitleRules.STACK) {
                stacks++;
                Pattern next = part + 1 < parts.size() ? parts.get(part + 1) : null;
                TitleRules.Prefilter nextFilter = next != null ? TitleRules.prefilter(next) : null;
                while (line < lines.size()) {
                    int hint = hints.of(line);
                    String ln = lines.get(line++);
                    if (isCorruptedLine(ln, hint)) {
                        ok = false;
                        advanced = true;
                        break;
                    }
                    if (isStackStart(ln, hint)) {
                        advanced = true;
                        break;
                    }
                    if (next != null && nextFilter.mayMatch(ln)) {
                        Matcher nextMatch = next.matcher(ln);
                        if (nextMatch.find()) {
                            addFrames(found, nextMatch, rule.skip());
                            part++;
                            advanced = true;
                            break;
                        }
                    }
                    if (rule.chooser() == StackRule.FIRST && !found.isEmpty()) {
                        continue; // the first frame is chosen: the rest only matters for where this stack ends
                    }
                    String function = frameFunction(ln);
                    if (function != null) {
                        function = Demangler.demangle(function);
                        if (!rule.skip().skips(function)) {
                            found.add(function);
                        }
                    } else if (ln.contains(") from ")) {
                        Matcher m = TitleRules.ARM_FRAME_LINE.matcher(ln);
                        if (m.find()) {
                            addFrames(found, m, rule.skip());
                        }
                    }
                }
            } else {
                TitleRules.Prefilter filter = TitleRules.prefilter(current);
                while (line < lines.size()) {
                    int hint = hints.of(line);
                    String ln = lines.get(line++);
                    if (isCorruptedLine(ln, hint)) {
                        ok = false;
                        break;
                    }
                    if (!filter.mayMatch(ln)) {
                        continue;
                    }
                    Matcher m = current.matcher(ln);
                    if (m.find()) {
                        addFrames(found, m, rule.skip());
                        break;
                    }
                }
            }
            part++;
            if (!advanced && current == TitleRules.STACK) {
                // ran out of lines: the remaining parts find nothing
                continue;
            }
        }
        return new Frames(canonical, raw, ok);
    }

    private static boolean isCorruptedLine(String line, int hint) {
        return (hint & MAY_INJECT_FAULT) != 0 && line.contains("should_fail")
                && TitleRules.CORRUPTED_LINE.matcher(line).find();
    }

    private static boolean isStackStart(String line, int hint) {
        return (hint & MAY_START_STACK) != 0 && isStackStart(line);
    }

    private static void addFrames(List<String> found, Matcher m, FrameFilter skip) {
        for (int g = 1; g <= m.groupCount(); g++) {
            String frame = m.group(g);
            if (frame != null) {
                frame = Demangler.demangle(frame);
            }
            if (frame != null && !skip.skips(frame)) {
                found.add(frame);
            }
        }
    }

    /** {canonical, raw} of the chosen frame, or null. */
    private static String[] choose(StackRule rule, List<String> found) {
        if (found.isEmpty()) {
            return null;
        }
        if (rule.chooser() == StackRule.FIRST) {
            return new String[] {strip(found.get(0)), found.get(0)};
        }
        List<String> stripped = new ArrayList<>(found.size());
        for (String frame : found) {
            stripped.add(strip(frame));
        }
        String[] renamed = new String[1];
        int index = rule.chooser().choose(stripped, renamed);
        if (index < 0) {
            return null;
        }
        return new String[] {renamed[0] != null ? renamed[0] : stripped.get(index), found.get(index)};
    }

    /** Takes off the longest of the syscall prefixes. */
    static String strip(String frame) {
        String best = frame;
        List<String> prefixes = TitleRules.STRIPPED_PREFIXES;
        for (int i = 0; i < prefixes.size(); i++) {
            String prefix = prefixes.get(i);
            if (frame.startsWith(prefix) && frame.length() - prefix.length() < best.length()) {
                best = frame.substring(prefix.length());
            }
        }
        return best;
    }

    /** The raw frames, then the raw frames with each prefix taken off where that changes one. */
    private static List<List<String>> partiallyStripped(List<String> raw) {
        List<List<String>> out = new ArrayList<>();
        if (raw.isEmpty()) {
            return out;
        }
        out.add(raw);
        for (String prefix : TitleRules.STRIPPED_PREFIXES) {
            List<String> list = null;
            for (int i = 0; i < raw.size(); i++) {
                String frame = raw.get(i);
                if (frame.startsWith(prefix)) {
                    if (list == null) {
                        list = new ArrayList<>(raw);
                    }
                    list.set(i, frame.substring(prefix.length()));
                }
            }
            if (list != null) {
                out.add(list);
            }
        }
        return out;
    }

    static boolean isStackStart(String line) {
        return StackStarts.of(line) != 0;
    }

    private static final Pattern TIMESTAMP_IN_TITLE = Pattern.compile("\\[ *[0-9]+\\.[0-9]+\\]");

    /** Why the report is corrupted, or null: a title with a timestamp inside, or no frames where a stack is expected. */
    private static String corruption(String title, List<String> lines, Hints hints, TitleFormat format) {
        if (TIMESTAMP_IN_TITLE.matcher(title).find()) {
            return "the title holds a timestamp: lines are interleaved";
        }
        if (format == null || format.noStackTrace()) {
            return null;
        }
        int[] first = new int[StackStarts.KINDS];
        java.util.Arrays.fill(first, -1);
        int pending = StackStarts.KINDS;
        for (int i = 0; i < lines.size() && pending > 0; i++) {
            int kinds = (hints.of(i) & MAY_START_STACK) != 0 ? StackStarts.of(lines.get(i)) : 0;
            for (int k = 0; kinds != 0 && k < StackStarts.KINDS; k++) {
                if ((kinds & 1 << k) != 0 && first[k] < 0) {
                    first[k] = i;
                    pending--;
                }
            }
        }
        boolean hasStack = false;
        for (int at : first) {
            if (at < 0) {
                continue;
            }
            // the report text ends with a newline: one more (empty) line than the list
            if (lines.size() - at + 1 < 4) {
                return "the call trace is missing";
            }
            boolean framesFound = false;
            for (int i = at + 1; i < at + 16 && i < lines.size(); i++) {
                String ln = lines.get(i);
                if (isStackStart(ln, hints.of(i))) {
                    break;
                }
                if (ln.contains("(stack is not available)") || isFrameLine(ln)) {
                    framesFound = true;
                    hasStack = true;
                    break;
                }
            }
            if (!framesFound) {
                return "no frames in a stack trace";
            }
        }
        return hasStack ? null : "no stack trace in the report";
    }

    private static boolean isFrameLine(String line) {
        return frameFunction(line) != null
                || line.contains(") from ") && TitleRules.ARM_FRAME_LINE.matcher(line).find();
    }

    /**
     * The function of a frame line (the pattern {@code ^ *(?:{{PC}} ){0,2}{{FUNC}}}): spaces, up
     * to two {@code [<address>] } groups, then a name ended by {@code .} or {@code +}. Hand-written: it
     * runs on every line of every report.
     */
    static String frameFunction(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && line.charAt(i) == ' ') {
            i++;
        }
        for (int group = 0; group < 3; group++) {
            int nameStart = i;
            while (i < n && isWordChar(line.charAt(i))) {
                i++;
            }
            if (i > nameStart && i < n && (line.charAt(i) == '.' || line.charAt(i) == '+')) {
                return line.substring(nameStart, i);
            }
            if (group == 2 || i != nameStart || (i = skipAddress(line, nameStart)) < 0) {
                return null;
            }
        }
        return null;
    }

    /** Position after {@code [<ffffffff81000000>] } (brackets and 0x optional as in {{PC}}), or -1. */
    private static int skipAddress(String line, int i) {
        int n = line.length();
        if (i >= n || line.charAt(i) != '[') {
            return -1;
        }
        i++;
        if (i < n && line.charAt(i) == '<') {
            i++;
        }
        if (i + 1 < n && line.charAt(i) == '0' && line.charAt(i + 1) == 'x') {
            i += 2;
        }
        int digits = i;
        while (i < n && (line.charAt(i) >= '0' && line.charAt(i) <= '9' || line.charAt(i) >= 'a' && line.charAt(i) <= 'f')) {
            i++;
        }
        if (i == digits) {
            return -1;
        }
        if (i < n && line.charAt(i) == '>') {
            i++;
        }
        if (i + 1 >= n || line.charAt(i) != ']' || line.charAt(i + 1) != ' ') {
            return -1;
        }
        return i + 2;
    }

    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** The line of the report's text a position is on. */
    private static int lineOf(String text, int position) {
        int line = 0;
        for (int i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) {
            line++;
        }
        return line;
    }

    /** Where the line a position is on starts in the report's text. */
    private static int lineStart(String text, int position) {
        return position == 0 ? 0 : text.lastIndexOf('\n', position - 1) + 1;
    }

    /** The lines of the report from a column of one of them on. */
    private static List<String> linesFrom(List<String> lines, int line, int column) {
        if (line >= lines.size()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(lines.size() - line);
        out.add(lines.get(line).substring(Math.min(column, lines.get(line).length())));
        out.addAll(lines.subList(line + 1, lines.size()));
        // the report text ends with a newline: an empty last line, as splitting the text gives
        out.add("");
        return out;
    }
}
