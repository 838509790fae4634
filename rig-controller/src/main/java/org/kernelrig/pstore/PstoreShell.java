package org.kernelrig.pstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kernelrig.patient.ShellQuote;

/**
 * The shell scripts rig runs on a patient to survey, read and delete its
 * pstore records, and the parsing of what they print. Pure. The scripts use
 * only what busybox offers ({@code stat -c}, {@code head -c}, {@code base64}),
 * every path is quoted, and each section of output is marked so that a
 * board's stray output cannot be taken for a record.
 */
final class PstoreShell {

    static final String MARK = "@@rig:";
    /** The most records listed; an EFI store holds about a hundred. */
    static final int MAX_LISTED = PstoreDecoder.MAX_RECORDS;
    private static final Pattern LISTED = Pattern.compile("(\\d{1,19}) (\\d{1,19}) (.{1,255})");
    private static final Pattern RECORD_MARK = Pattern.compile(Pattern.quote(MARK) + "(record|error|kept) (\\d{1,6})@@");

    private PstoreShell() {
    }

    /** Surveys the store: facts, an optional mount, and the listing {@code size mtime name}. */
    static String survey(String path, boolean mountIfNeeded) {
        String d = ShellQuote.quote(path);
        String isMounted = "grep -qsF \" $d pstore \" /proc/mounts";
        return String.join("\n",
                "d=" + d,
                "echo '" + MARK + "present@@'; [ -d \"$d\" ] && echo yes",
                mountIfNeeded
                        ? "if [ -d \"$d\" ] && ! " + isMounted + "; then echo '" + MARK + "mount@@';"
                                + " mount -t pstore pstore \"$d\" 2>&1 && echo '" + MARK + "mounted-by-rig@@'; fi"
                        : ":",
                "echo '" + MARK + "mounted@@'; " + isMounted + " && echo yes",
                "echo '" + MARK + "backend@@'; cat /sys/module/pstore/parameters/backend 2>/dev/null",
                "echo '" + MARK + "compress@@'; cat /sys/module/pstore/parameters/compress 2>/dev/null",
                "echo '" + MARK + "panic@@'; cat /proc/sys/kernel/panic 2>/dev/null",
                "echo '" + MARK + "panic-on-oops@@'; cat /proc/sys/kernel/panic_on_oops 2>/dev/null",
                "echo '" + MARK + "archived@@'; [ -d /var/lib/systemd/pstore ]"
                        + " && find /var/lib/systemd/pstore -type f 2>/dev/null | head -n 10000 | wc -l",
                "echo '" + MARK + "records@@'",
                "[ -d \"$d\" ] && for f in \"$d\"/*; do [ -f \"$f\" ] || continue;"
                        + " echo \"$(stat -c '%s %Y' \"$f\") ${f##*/}\"; done | head -n " + (MAX_LISTED + 1),
                "true");
    }

    static PstoreFacts parseSurvey(String path, boolean mountIfNeeded, String output) {
        Map<String, List<String>> sections = sections(output);
        boolean present = sections.getOrDefault("present", List.of()).contains("yes");
        boolean mounted = sections.getOrDefault("mounted", List.of()).contains("yes");
        boolean mountedByRig = sections.containsKey("mounted-by-rig");
        String mountError = null;
        if (mountIfNeeded && present && !mounted) {
            List<String> said = sections.getOrDefault("mount", List.of());
            mountError = said.isEmpty() ? "mount printed nothing" : String.join("; ", said.subList(0, Math.min(3, said.size())));
        }
        String backend = first(sections, "backend");
        if (backend != null && (backend.equals("(null)") || backend.isBlank())) {
            backend = null;
        }
        List<PstoreFacts.ListedRecord> records = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : sections.getOrDefault("records", List.of())) {
            Matcher m = LISTED.matcher(line);
            if (m.matches() && records.size() < MAX_LISTED && seen.add(m.group(3))) {
                Long size = number(m.group(1));
                Long seconds = number(m.group(2));
                records.add(new PstoreFacts.ListedRecord(m.group(3), size == null ? 0 : size,
                        seconds == null ? null : Instant.ofEpochSecond(Math.min(seconds, 253_402_300_799L))));
            }
        }
        return new PstoreFacts(path, present, mounted, mountedByRig, mountError, backend, first(sections, "compress"),
                integer(first(sections, "panic")), integer(first(sections, "panic-on-oops")),
                Objects.requireNonNullElse(integer(first(sections, "archived")), 0), records);
    }

    /** True when the listing went past {@link #MAX_LISTED} files. */
    static boolean listingCut(String output) {
        return sections(output).getOrDefault("records", List.of()).size() > MAX_LISTED;
    }

    /**
     * Reads the files {@code names} (indexes into the list) as base64, each cut at {@code limit + 1} bytes
     * so that a larger one shows. A file that cannot be read says so on stderr.
     */
    static String read(String path, List<String> names, int limit) {
        StringBuilder script = new StringBuilder("d=" + ShellQuote.quote(path) + "\n");
        for (int i = 0; i < names.size(); i++) {
            String file = "\"$d\"/" + ShellQuote.quote(names.get(i));
            script.append("echo '").append(MARK).append("record ").append(i).append("@@'; ")
                    .append("{ head -c ").append(limit + 1L).append(' ').append(file)
                    .append(" || echo '").append(MARK).append("error ").append(i).append("@@' >&2; } | base64\n");
        }
        return script.append("true").toString();
    }

    /** The bytes of each file the read script printed, by index; files that failed are absent. */
    static Map<Integer, byte[]> parseRead(String stdout, String stderr, int count) {
        Set<Integer> failed = new HashSet<>();
        for (String line : stderr.split("\n")) {
            Matcher m = RECORD_MARK.matcher(line.strip());
            if (m.matches() && m.group(1).equals("error")) {
                failed.add(Integer.parseInt(m.group(2)));
            }
        }
        Map<Integer, StringBuilder> encoded = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : stdout.split("\n")) {
            Matcher m = RECORD_MARK.matcher(line.strip());
            if (m.matches() && m.group(1).equals("record")) {
                int index = Integer.parseInt(m.group(2));
                current = index < count && !encoded.containsKey(index) ? new StringBuilder() : null;
                if (current != null) {
                    encoded.put(index, current);
                }
            } else if (current != null) {
                current.append(line.strip());
            }
        }
        Map<Integer, byte[]> bytes = new LinkedHashMap<>();
        for (Map.Entry<Integer, StringBuilder> e : encoded.entrySet()) {
            if (failed.contains(e.getKey())) {
                continue;
            }
            try {
                bytes.put(e.getKey(), Base64.getMimeDecoder().decode(e.getValue().toString()));
            } catch (IllegalArgumentException notBase64) {
                // Garbled output: the record counts as not read, and is not deleted.
            }
        }
        return bytes;
    }

    /** Deletes the files {@code names} and names, by index, those still there afterwards. */
    static String delete(String path, List<String> names) {
        StringBuilder script = new StringBuilder("d=" + ShellQuote.quote(path) + "\n");
        for (int i = 0; i < names.size(); i++) {
            String file = "\"$d\"/" + ShellQuote.quote(names.get(i));
            script.append("rm -f ").append(file).append(" 2>&1; [ -e ").append(file).append(" ] && echo '")
                    .append(MARK).append("kept ").append(i).append("@@'\n");
        }
        return script.append("true").toString();
    }

    /** The indexes the delete script reported as still there. */
    static Set<Integer> parseKept(String stdout) {
        Set<Integer> kept = new HashSet<>();
        for (String line : stdout.split("\n")) {
            Matcher m = RECORD_MARK.matcher(line.strip());
            if (m.matches() && m.group(1).equals("kept")) {
                kept.add(Integer.parseInt(m.group(2)));
            }
        }
        return kept;
    }

    /** Lines of the delete script's output that are not its marks: what rm said. */
    static List<String> deleteMessages(String stdout) {
        return stdout.lines().map(String::strip).filter(l -> !l.isEmpty() && !RECORD_MARK.matcher(l).matches())
                .limit(5).toList();
    }

    private static Map<String, List<String>> sections(String output) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : output.split("\n")) {
            String clean = line.replace("\r", "");
            if (clean.startsWith(MARK) && clean.endsWith("@@") && clean.length() < 64) {
                current = sections.computeIfAbsent(clean.substring(MARK.length(), clean.length() - 2),
                        k -> new ArrayList<>());
            } else if (current != null && !clean.isBlank() && current.size() <= MAX_LISTED) {
                current.add(clean.length() > 512 ? clean.substring(0, 512) : clean);
            }
        }
        return sections;
    }

    private static String first(Map<String, List<String>> sections, String name) {
        List<String> lines = sections.get(name);
        return lines == null || lines.isEmpty() ? null : lines.get(0).strip();
    }

    private static Integer integer(String text) {
        return text != null && text.matches("-?\\d{1,9}") ? Integer.valueOf(text) : null;
    }

    private static Long number(String digits) {
        if (!digits.matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(digits);
    }
}
