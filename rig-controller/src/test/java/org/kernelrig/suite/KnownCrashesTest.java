package org.kernelrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelrig.suite.Runs.SYSRQ;
import static org.kernelrig.suite.Runs.USB;
import static org.kernelrig.suite.Runs.WARN;
import static org.kernelrig.suite.Runs.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;
import org.kernelrig.report.RunReport.CrashFinding;

class KnownCrashesTest {

    private static final Path SHIPPED = Path.of("..", KnownCrashes.FILE_NAME);

    @Test
    void theShippedFileNamesDebianBug917206ByTitleAndTheSysrqCrashByFingerprint() throws Exception {
        KnownCrashes known = KnownCrashes.load(SHIPPED, "known-crashes.yaml");

        KnownCrash usb = known.match(USB).orElseThrow();
        assertEquals("usb-storage-917206", usb.name());
        assertEquals(917206, usb.debianBug());
        assertEquals("https://bugs.debian.org/917206", usb.bugUrl());
        assertTrue(known.match(WARN).isEmpty());

        // The fingerprint in the example is the one the analyzer gives the Debian 6.1 sysrq crash.
        String log = Files.readString(Path.of("src/test/resources/kernel-logs/debian-6.1-x86_64-sysrq-panic.log"));
        Crash analysed = CrashAnalyzer.analyze(log.substring(log.indexOf("\n\n") + 2)).get(0);
        KnownCrash sysrq = known.match(finding(analysed)).orElseThrow();
        assertEquals("sysrq-panic-on-purpose", sysrq.name());
        assertEquals(0, sysrq.debianBug());
        assertEquals(null, sysrq.bugUrl());
    }

    @Test
    void matchesByFingerprintWhateverItsCaseAndFingerprintsComeFirst() throws Exception {
        KnownCrashes known = KnownCrashes.parse("""
                any-panic:
                  title: "sysrq"
                  note: every sysrq crash
                this-one:
                  fingerprint: 88490C67D2E2684E
                  debian-bug: 1000001
                """, "k.yaml");

        assertEquals("this-one", known.match(SYSRQ).orElseThrow().name());
        assertEquals("any-panic", known.match(crash("0000000000000001", "panic", "panic: sysrq other", "x"))
                .orElseThrow().name());
    }

    @Test
    void aTitlePatternIsSearchedInTheTitleAndTheHeadlineAndKindNarrowsIt() throws Exception {
        KnownCrashes known = KnownCrashes.parse("""
                usb:
                  title: "usb-storage|usb_stor"
                  kind: null-pointer-dereference
                  debian-bug: 917206
                address:
                  title: "address: 0+8$"
                  note: the headline matches
                """, "k.yaml");

        assertEquals("usb", known.match(USB).orElseThrow().name());
        CrashFinding sameTitleOtherKind = crash("2222222222222222", "warning", USB.title(), "WARNING: somewhere");
        assertTrue(known.match(sameTitleOtherKind).isEmpty());
        CrashFinding headlineOnly = crash("3333333333333333", "page-fault", "BUG: unable to handle page fault in foo",
                "BUG: kernel NULL pointer dereference, address: 0000000000000008");
        assertEquals("address", known.match(headlineOnly).orElseThrow().name());
        assertTrue(KnownCrashes.none().match(USB).isEmpty());
    }

    @Test
    void everyMistakeIsReportedWithItsFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("known-crashes.yaml"), """
                # known crashes
                usb:
                  titel: "usb-storage|usb_stor"
                  debian-bug: 917206
                sysrq:
                  fingerprint: ac8a6ddd7666667
                  title: sysrq
                  note: ""
                net:
                  title: "skb_over_panic("
                  kind: nul-pointer-dereference
                  debian-bug: "#917206"
                bad name!:
                  note: x
                lonely: 917206
                title: "usb_stor"
                bare:
                  kind: panic
                big:
                  title: "."
                  debian-bug: 123456789
                """);

        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> KnownCrashes.load(file, "known-crashes.yaml"));

        List<String> problems = e.problems().stream().map(p -> p.render()).toList();
        // The kind's message lists every kind; it is checked on its own below.
        assertEquals(List.of(
                "known-crashes.yaml:3:3: unknown key 'titel' in 'usb'\n"
                        + "  did you mean 'title'? valid keys: fingerprint, title, kind, debian-bug, note",
                "known-crashes.yaml:7:3: known crash 'sysrq' has both fingerprint and title; give one\n"
                        + "  a fingerprint names one crash exactly; a title pattern names every crash whose title it finds",
                "known-crashes.yaml:6:16: sysrq.fingerprint must be a crash fingerprint, 16 hexadecimal digits as "
                        + "report.json shows it, got 'ac8a6ddd7666667'",
                "known-crashes.yaml:8:9: sysrq.note must not be empty",
                "known-crashes.yaml:10:10: net.title is not a valid regular expression: Unclosed group near index 15\n"
                        + "  escape special characters with \\",
                "known-crashes.yaml:12:15: net.debian-bug must be a bug number, got '#917206'\n"
                        + "  write the number alone: debian-bug: 917206",
                "known-crashes.yaml:13:1: known crash name must be 1 to 64 letters, digits, '.', '_' or '-', starting "
                        + "with a letter or digit, got 'bad name!'",
                "known-crashes.yaml:15:9: known crash 'lonely' must be a mapping with fingerprint: or title:, and "
                        + "debian-bug: or note:\n"
                        + "  indent the entry's fields below its name: fingerprint: or title:, debian-bug:, note:",
                "known-crashes.yaml:16:8: known crash 'title' must be a mapping with fingerprint: or title:, and "
                        + "debian-bug: or note:\n"
                        + "  give each entry a name and indent its fields below it, for example\n"
                        + "  usb-storage-917206:\n    title: \"usb-storage|usb_stor\"\n    debian-bug: 917206",
                "known-crashes.yaml:17:1: known crash 'bare' needs fingerprint: or title:\n"
                        + "  for example fingerprint: 3f2a9c0d1e4b5a68 (from report.json) or title: \"usb-storage|usb_stor\"",
                "known-crashes.yaml:17:1: known crash 'bare' needs debian-bug: or note:, to say what it is\n"
                        + "  for example debian-bug: 917206",
                "known-crashes.yaml:21:15: big.debian-bug must be 1..99999999, got 123456789"),
                problems.stream().filter(p -> !p.contains(".kind must be")).toList());
        assertTrue(problems.contains("known-crashes.yaml:11:9: net.kind must be a crash kind, got "
                + "'nul-pointer-dereference'\n  did you mean 'null-pointer-dereference'? kinds: "
                + String.join(", ", org.kernelrig.crash.CrashKind.ids())), String.join("\n", problems));
    }

    @Test
    void aListInsteadOfNamedEntriesAndAMissingFile(@TempDir Path dir) throws Exception {
        InvalidConfigException list = assertThrows(InvalidConfigException.class, () -> KnownCrashes.parse("""
                - title: usb_stor
                  debian-bug: 917206
                """, "known-crashes.yaml"));
        assertTrue(list.getMessage().startsWith("known-crashes.yaml:1:1: expected a known-crashes file: a mapping of "
                + "keys to values (key: value), got a list"), list.getMessage());

        InvalidConfigException missing = assertThrows(InvalidConfigException.class,
                () -> KnownCrashes.load(dir.resolve("known-crashes.yaml"), "known-crashes.yaml"));
        assertEquals("known-crashes.yaml: no such file", missing.getMessage());
        assertTrue(KnownCrashes.loadIfPresent(dir.resolve("known-crashes.yaml"), "known-crashes.yaml").entries().isEmpty());
    }

    private static CrashFinding finding(Crash crash) {
        return new CrashFinding(crash.kind().id(), crash.report().get(0), crash.title(), crash.guiltyFrame(),
                crash.fingerprint(), crash.panicked(), crash.corrupted(), crash.complete(), List.of(), crash.report(),
                java.util.Set.of("serial"), crash.firstLine(), crash.lastLine());
    }
}
