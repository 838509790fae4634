package org.kernelrig.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Problems;
import org.kernelrig.config.Suggestions;
import org.kernelrig.config.YamlDocument;
import org.kernelrig.config.YamlMapping;
import org.kernelrig.crash.CrashKind;
import org.kernelrig.inventory.Inventory;

/** Reads and checks one scenario file. */
public final class ScenarioFile {

    private static final List<String> TOP_KEYS = List.of("name", "description", "debian-bug", "kernel", "board",
            "trigger", "expect", "limits", "leave-board");
    private static final List<String> TRIGGERS = List.of("sysrq", "lkdtm", "usb-storage-write", "command");
    private static final String EXPECTED = "name, trigger and expect (see scenarios/README.md)";

    private ScenarioFile() {
    }

    /**
     * Loads {@code path}. When {@code inventory} is given, the scenario's
     * default board must be one of its boards.
     */
    public static Scenario load(Path path, String display, Inventory inventory) throws InvalidConfigException {
        YamlMapping root = YamlDocument.load(path, display, "scenario", EXPECTED);
        return read(root, path, inventory);
    }

    static Scenario read(YamlMapping root, Path path, Inventory inventory) throws InvalidConfigException {
        Problems problems = new Problems();
        root.allowOnly(problems, TOP_KEYS);

        String name = root.checked(problems, "name", n -> n.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") ? null
                : "must be 1 to 64 letters, digits, '.', '_' or '-', got '" + n + "'")
                .orElse(path.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        String description = root.string(problems, "description").orElse("");
        int debianBug = root.integer(problems, "debian-bug", 1, 99_999_999).orElse(0);

        Pattern release = null;
        Pattern version = null;
        Optional<YamlMapping> kernel = root.mapping(problems, "kernel");
        if (kernel.isPresent()) {
            kernel.get().allowOnly(problems, "release", "version");
            release = kernel.get().regex(problems, "release").orElse(null);
            version = kernel.get().regex(problems, "version").orElse(null);
        }

        String board = root.string(problems, "board").orElse(null);
        if (board != null && inventory != null && inventory.find(board).isEmpty()) {
            problems.add(root.locationOf("board"), inventory.unknownBoardMessage(board), inventory.unknownBoardHint(board));
        }

        Trigger trigger = null;
        if (root.require(problems, "trigger", "{sysrq: c}")) {
            trigger = root.mapping(problems, "trigger").map(m -> readTrigger(m, problems)).orElse(null);
        }
        Expectation expect = null;
        if (root.require(problems, "expect", "{crash: panic} or no-crash")) {
            expect = readExpectation(root, problems);
        }
        TimeLimits limits = root.mapping(problems, "limits").map(m -> readLimits(m, problems))
                .orElse(TimeLimits.defaults());
        boolean leaveOn = root.choice(problems, "leave-board", List.of("on", "off")).map("on"::equals).orElse(true);

        problems.throwIfAny();
        return new Scenario(name, description, path, debianBug, release, version, board, trigger, expect, limits,
                leaveOn);
    }

    private static Trigger readTrigger(YamlMapping m, Problems problems) {
        m.allowOnly(problems, TRIGGERS);
        List<String> given = m.keys().stream().filter(TRIGGERS::contains).toList();
        if (given.isEmpty()) {
            if (m.keys().isEmpty()) {
                problems.add(m.location(), "trigger is empty; give one of " + String.join(", ", TRIGGERS),
                        "for example trigger: {sysrq: c}");
            }
            return null;
        }
        if (given.size() > 1) {
            problems.add(m.keyLocation(given.get(1)), "trigger has both " + given.get(0) + " and " + given.get(1)
                    + "; a scenario has one trigger", "split it into two scenarios");
            return null;
        }
        return switch (given.get(0)) {
            case "sysrq" -> m.checked(problems, "sysrq", k -> Trigger.SYSRQ_KEY.matcher(k).matches() ? null
                    : "must be one sysrq key (a lower-case letter or digit; c crashes the kernel), got '" + k + "'")
                    .map(k -> (Trigger) new Trigger.Sysrq(k.charAt(0))).orElse(null);
            case "lkdtm" -> m.checked(problems, "lkdtm", t -> Lkdtm.CRASH_TYPES.contains(t) ? null
                    : "must be an LKDTM crash type such as BUG, WARNING, EXCEPTION, PANIC, HUNG_TASK, got '" + t + "'"
                            + Suggestions.nearest(t, Lkdtm.CRASH_TYPES).map(n -> "; did you mean '" + n + "'?").orElse(""))
                    .map(t -> (Trigger) new Trigger.Lkdtm(t)).orElse(null);
            case "command" -> m.checked(problems, "command", c -> c.isBlank() ? "must not be empty" : null)
                    .map(c -> (Trigger) new Trigger.Command(c)).orElse(null);
            default -> m.mapping(problems, "usb-storage-write").map(w -> readUsbWrite(w, problems)).orElse(null);
        };
    }

    private static Trigger readUsbWrite(YamlMapping m, Problems problems) {
        m.allowOnly(problems, "device", "size", "amount", "pattern");
        if (!m.require(problems, "device", "/dev/disk/by-id/usb-...")) {
            return null;
        }
        Optional<String> device = m.checked(problems, "device", d -> d.startsWith("/dev/") && !d.contains("..")
                && d.matches("[A-Za-z0-9/_.:@+=,-]+") ? null
                : "must be a device path under /dev/ (best a /dev/disk/by-id/usb-* name), got '" + d + "'");
        long size = m.size(problems, "size").orElse(0);
        long amount = m.size(problems, "amount").orElse(64L << 20);
        if (m.has("amount") && amount == 0) {
            problems.add(m.locationOf("amount"), m.field("amount") + " must be more than 0");
        }
        if (size > 0 && amount > size) {
            problems.add(m.locationOf("amount"), m.field("amount") + " is larger than the device's size");
        }
        String pattern = m.choice(problems, "pattern", Trigger.UsbStorageWrite.PATTERNS).orElse("random");
        return device.map(d -> (Trigger) new Trigger.UsbStorageWrite(d, size, amount, pattern)).orElse(null);
    }

    private static Expectation readExpectation(YamlMapping root, Problems problems) {
        if (!root.isMapping("expect")) {
            Optional<String> text = root.string(problems, "expect");
            if (text.isPresent() && text.get().equals("no-crash")) {
                return new Expectation.NoCrash();
            }
            text.ifPresent(t -> problems.add(root.locationOf("expect"),
                    "expect must be no-crash or a mapping such as {crash: panic}, got '" + t + "'",
                    CrashKind.fromId(t).isPresent() ? "write expect: {crash: " + t + "}" : null));
            return null;
        }
        YamlMapping m = root.mapping(problems, "expect").orElseThrow();
        m.allowOnly(problems, "crash", "title");
        if (!m.require(problems, "crash", String.join("|", List.of("panic", "oops", "bug", "warning", "..."))
                + " (or expect: no-crash)")) {
            return null;
        }
        Optional<CrashKind> kind = m.string(problems, "crash").flatMap(k -> {
            Optional<CrashKind> known = CrashKind.fromId(k);
            if (known.isEmpty()) {
                problems.add(m.locationOf("crash"), "expect.crash must be a crash kind, got '" + k + "'",
                        Suggestions.nearest(k, CrashKind.ids()).map(n -> "did you mean '" + n + "'? ").orElse("")
                                + "kinds: " + String.join(", ", CrashKind.ids()));
            }
            return known;
        });
        Pattern title = m.regex(problems, "title").orElse(null);
        return kind.map(k -> (Expectation) new Expectation.Crash(k, title)).orElse(null);
    }

    private static TimeLimits readLimits(YamlMapping m, Problems problems) {
        TimeLimits d = TimeLimits.defaults();
        m.allowOnly(problems, d.byName().keySet());
        return new TimeLimits(
                positive(m, problems, "boot", d.boot()),
                positive(m, problems, "netconsole-handshake", d.netconsoleHandshake()),
                positive(m, problems, "capture", d.capture()),
                m.duration(problems, "quiet-after-trace").orElse(d.quietAfterTrace()),
                positive(m, problems, "power-off", d.powerOff()));
    }

    private static Duration positive(YamlMapping m, Problems problems, String key, Duration fallback) {
        Optional<Duration> value = m.duration(problems, key);
        if (value.isPresent() && value.get().isZero()) {
            problems.add(m.locationOf(key), m.field(key) + " must be longer than 0s");
            return fallback;
        }
        return value.orElse(fallback);
    }
}
