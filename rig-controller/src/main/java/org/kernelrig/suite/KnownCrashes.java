package org.kernelrig.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;
import org.kernelrig.config.Problems;
import org.kernelrig.config.Suggestions;
import org.kernelrig.config.YamlDocument;
import org.kernelrig.config.YamlMapping;
import org.kernelrig.crash.CrashKind;
import org.kernelrig.report.RunReport.CrashFinding;

/**
 * The crashes already known, from {@code known-crashes.yaml} (format in
 * docs/suite.md): each entry names a crash by fingerprint or by title and
 * says which Debian bug it is. A suite report marks the crashes it finds
 * with their known bug.
 */
public final class KnownCrashes {

    /** The file's usual name, at the root of a rig checkout. */
    public static final String FILE_NAME = "known-crashes.yaml";

    static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern FINGERPRINT = Pattern.compile("[0-9a-fA-F]{16}");
    private static final List<String> ENTRY_KEYS = List.of("fingerprint", "title", "kind", "debian-bug", "note");
    private static final String WHAT = "known-crashes file";
    private static final String EXPECTED = "named entries, each with fingerprint: or title:, and debian-bug: or note: "
            + "(see docs/suite.md)";

    private final List<KnownCrash> entries;

    private KnownCrashes(List<KnownCrash> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No known crashes. */
    public static KnownCrashes none() {
        return new KnownCrashes(List.of());
    }

    /** Loads and checks {@code path}; {@code display} names it in messages. */
    public static KnownCrashes load(Path path, String display) throws InvalidConfigException {
        return read(YamlDocument.load(path, display, WHAT, EXPECTED));
    }

    /** Like {@link #load}, but a missing file means no known crashes. */
    public static KnownCrashes loadIfPresent(Path path, String display) throws InvalidConfigException {
        return Files.exists(path) ? load(path, display) : none();
    }

    /** Parses text already in memory. */
    public static KnownCrashes parse(String text, String display) throws InvalidConfigException {
        return read(YamlDocument.parse(text, display, WHAT, EXPECTED));
    }

    private static KnownCrashes read(YamlMapping root) throws InvalidConfigException {
        Problems problems = new Problems();
        List<KnownCrash> entries = new ArrayList<>();
        root.allowOnly(problems, root.keys()); // any name, but a name must be plain text
        for (String name : root.keys()) {
            if (!ENTRY_NAME.matcher(name).matches()) {
                problems.add(root.keyLocation(name), "known crash name must be 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit, got '" + name + "'");
                continue;
            }
            if (!root.isMapping(name)) {
                String hint = ENTRY_KEYS.contains(name)
                        ? "give each entry a name and indent its fields below it, for example\n  usb-storage-917206:\n"
                                + "    title: \"usb-storage|usb_stor\"\n    debian-bug: 917206"
                        : "indent the entry's fields below its name: fingerprint: or title:, debian-bug:, note:";
                problems.add(root.locationOf(name), "known crash '" + name
                        + "' must be a mapping with fingerprint: or title:, and debian-bug: or note:", hint);
                continue;
            }
            YamlMapping entry = root.mapping(problems, name).orElseThrow();
            readEntry(name, entry, root.keyLocation(name), problems).ifPresent(entries::add);
        }
        problems.throwIfAny();
        return new KnownCrashes(entries);
    }

    private static Optional<KnownCrash> readEntry(String name, YamlMapping m, Location at, Problems problems) {
        int before = problems.list().size();
        m.allowOnly(problems, ENTRY_KEYS);
        boolean typoOfMatcher = m.keys().stream().filter(k -> !ENTRY_KEYS.contains(k))
                .anyMatch(k -> Suggestions.nearest(k, List.of("fingerprint", "title")).isPresent());
        if (m.has("fingerprint") && m.has("title")) {
            problems.add(m.keyLocation("title"), "known crash '" + name + "' has both fingerprint and title; give one",
                    "a fingerprint names one crash exactly; a title pattern names every crash whose title it finds");
        } else if (!m.has("fingerprint") && !m.has("title") && !typoOfMatcher) {
            problems.add(at, "known crash '" + name + "' needs fingerprint: or title:",
                    "for example fingerprint: 3f2a9c0d1e4b5a68 (from report.json) or title: \"usb-storage|usb_stor\"");
        }
        String fingerprint = m.checked(problems, "fingerprint", f -> FINGERPRINT.matcher(f).matches() ? null
                : "must be a crash fingerprint, 16 hexadecimal digits as report.json shows it, got '" + f + "'")
                .map(f -> f.toLowerCase(Locale.ROOT)).orElse(null);
        Pattern title = m.regex(problems, "title").orElse(null);
        if (title != null && title.pattern().isEmpty()) {
            problems.add(m.locationOf("title"), m.field("title") + " must not be empty: it would match every crash");
        }
        String kind = m.string(problems, "kind").flatMap(k -> {
            if (CrashKind.fromId(k).isEmpty()) {
                problems.add(m.locationOf("kind"), m.field("kind") + " must be a crash kind, got '" + k + "'",
                        Suggestions.nearest(k, CrashKind.ids()).map(n -> "did you mean '" + n + "'? ").orElse("")
                                + "kinds: " + String.join(", ", CrashKind.ids()));
                return Optional.empty();
            }
            return Optional.of(k);
        }).orElse(null);
        int bug = 0;
        // Read quietly first: "#917206" deserves its own hint; integer() reports anything else.
        Optional<String> bugText = m.string(new Problems(), "debian-bug");
        if (bugText.isPresent() && bugText.get().matches("#\\s*\\d+")) {
            problems.add(m.locationOf("debian-bug"), m.field("debian-bug") + " must be a bug number, got '"
                    + bugText.get() + "'", "write the number alone: debian-bug: " + bugText.get().replaceAll("\\D", ""));
        } else {
            bug = m.integer(problems, "debian-bug", 1, 99_999_999).orElse(0);
        }
        String note = m.checked(problems, "note", n -> n.isBlank() ? "must not be empty" : null).orElse(null);
        if (!m.has("debian-bug") && !m.has("note") && m.keys().stream().filter(k -> !ENTRY_KEYS.contains(k))
                .noneMatch(k -> Suggestions.nearest(k, List.of("debian-bug", "note")).isPresent())) {
            problems.add(at, "known crash '" + name + "' needs debian-bug: or note:, to say what it is",
                    "for example debian-bug: 917206");
        }
        if (problems.list().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new KnownCrash(name, fingerprint, title, kind, bug, note, at));
    }

    /** Every entry, in file order. */
    public List<KnownCrash> entries() {
        return entries;
    }

    /**
     * The known crash {@code crash} is: an entry with its fingerprint first,
     * else the first entry whose title pattern it matches.
     */
    public Optional<KnownCrash> match(CrashFinding crash) {
        return match(CrashRef.of(crash));
    }

    /** The same for a crash as runs are compared by it. */
    public Optional<KnownCrash> match(CrashRef crash) {
        return entries.stream().sorted(Comparator.comparing(e -> e.fingerprint() == null))
                .filter(e -> e.matches(crash)).findFirst();
    }
}
