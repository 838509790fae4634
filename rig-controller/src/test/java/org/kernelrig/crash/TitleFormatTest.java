package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class TitleFormatTest {

    @Test
    void requiredLiteralsAreThePlainRunsOutsideGroupsAndClasses() {
        assertEquals(List.of("WARNING: ", "lib/debugobjects.c", " "),
                TitleFormat.requiredLiterals(Pattern.compile("WARNING: .*lib/debugobjects\\.c.* (?:debug_print|at)")));
        assertEquals(List.of("WARNING: ", "mm/", ".c", " ", "malloc"),
                TitleFormat.requiredLiterals(Pattern.compile("WARNING: .*mm/.*\\.c.* k?.?malloc")));
        assertEquals(List.of("BUG: using ", "() in preemptible"),
                TitleFormat.requiredLiterals(Pattern.compile("BUG: using ([a-z_]+)\\(\\) in preemptible")));
        assertEquals(List.of("INFO: task ", " blocked"),
                TitleFormat.requiredLiterals(Pattern.compile("INFO: task [\\s\\S]{0,100}? blocked")));
        assertEquals(List.of(), TitleFormat.requiredLiterals(Pattern.compile("foo|bar")));
    }

    @Test
    void everyTitlePatternMatchesOnlyTextsHoldingItsLiterals() {
        // each format's literals must be in the header line of a report it titles
        List<String> headerLines = List.of(
                "WARNING: CPU: 0 PID: 660 at drivers/misc/lkdtm/bugs.c:88 lkdtm_WARNING+0x9/0x10 [lkdtm]",
                "WARNING: CPU: 1 PID: 1 at lib/refcount.c:28 refcount_warn_saturate+0xba/0x110",
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "BUG: KASAN: use-after-free in foo+0x1/0x2",
                "INFO: task bash:700 blocked for more than 120 seconds.",
                "Kernel panic - not syncing: sysrq triggered crash",
                "watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [bash:680]");
        int matched = 0;
        for (OopsHeader header : TitleRules.HEADERS) {
            for (TitleFormat format : header.formats()) {
                for (String line : headerLines) {
                    if (format.title().matcher(line + "\n").find()) {
                        matched++;
                        assertTrue(format.mayMatch(line + "\n"), format.title() + " on " + line);
                    }
                }
            }
        }
        assertTrue(matched >= headerLines.size(), "matched " + matched);
    }

    @Test
    void alternativesGiveOneLiteralEach() {
        assertEquals(List.of("apic_timer_interrupt", "Exception stack", "el1h_64_irq"), TitleFormat.alternativeLiterals(
                Pattern.compile("(?:apic_timer_interrupt|Exception stack|el1h_64_irq)")));
        assertEquals(List.of("Local variable ", "Uninit was created at:"), TitleFormat.alternativeLiterals(
                Pattern.compile("(Local variable .* created at:|Uninit was created at:)")));
        assertEquals(null, TitleFormat.alternativeLiterals(Pattern.compile("foo|[a-z]+")));
        assertEquals(null, TitleFormat.alternativeLiterals(Pattern.compile("(foo|bar) baz")));
        assertEquals(List.of(List.of("Read", "Write"), List.of("of size", "at addr")), TitleFormat.groupAlternatives(
                Pattern.compile("in ([a-z]+)[^\\n]*\\n[\\s\\S]*?(Read|Write) (?:of size|at addr)")));
        // an optional group, or one inside a top-level alternative, is not on every path
        assertEquals(List.of(), TitleFormat.groupAlternatives(Pattern.compile("x(?:a|b)? y(c|d)*")));
        assertEquals(List.of(), TitleFormat.groupAlternatives(Pattern.compile("(a|b)x|y")));
        // a case-insensitive pattern matches texts without its literals as written
        assertTrue(TitleRules.prefilter(Pattern.compile("(?i)warning: x")).mayMatch("WARNING: X"));
        assertTrue(TitleRules.prefilter(Pattern.compile("warning: x", Pattern.CASE_INSENSITIVE)).mayMatch("WARNING: X"));
        assertTrue(!TitleRules.prefilter(Pattern.compile("warning: x")).mayMatch("WARNING: X"));
    }

    /**
     * A prefilter must never turn away a text its pattern matches: every pattern of the rules is tried
     * on every line, and every whole report, of part of the syzkaller corpus that its prefilter rejects.
     */
    @Test
    void prefiltersNeverRejectWhatTheirPatternMatches() throws Exception {
        Set<Pattern> patterns = new LinkedHashSet<>();
        for (OopsHeader header : TitleRules.HEADERS) {
            patterns.addAll(header.suppressions());
            for (TitleFormat format : header.formats()) {
                patterns.add(format.title());
                if (format.report() != null) {
                    patterns.add(format.report());
                }
                if (format.stack() != null) {
                    patterns.addAll(format.stack().parts());
                    patterns.addAll(format.stack().parts2());
                }
            }
        }
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(SyzkallerConformanceTest.corpus())) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("\\d+")).sorted().limit(150).toList()) {
                List<String> log = LogCase.read(file).log();
                texts.add(String.join("\n", log) + "\n");
                for (String line : log) {
                    texts.add(ConsoleLineParser.parse(1, line) == null ? line : ConsoleLineParser.parse(1, line).text());
                }
            }
        }
        int rejected = 0;
        for (Pattern pattern : patterns) {
            TitleRules.Prefilter prefilter = TitleRules.prefilter(pattern);
            for (String text : texts) {
                if (!prefilter.mayMatch(text)) {
                    rejected++;
                    assertTrue(!pattern.matcher(text).find(), pattern + " matches what its prefilter rejects: " + text);
                }
            }
        }
        assertTrue(rejected > texts.size(), "the prefilters rejected only " + rejected + " texts");
    }

    /**
     * Titles search a report's lines for stack starts and fault injection frames only where the scan of
     * the console marked them: the marks must be there on every line that holds one, in the whole
     * syzkaller corpus and in a line of each kind of stack start.
     */
    @Test
    void scanMarksEveryStackStartAndFaultInjection() throws Exception {
        List<String> texts = new ArrayList<>(List.of("Call Trace:", "Call trace:", "Allocated:", "Allocated by task 12:",
                "Freed:", "Freed by task 3:", "    backtrace (crc 1a2b3c4d):", "Backtrace:",
                "Uninit was stored to memory at:", " should_failslab+0x5/0x10"));
        try (Stream<Path> files = Files.list(SyzkallerConformanceTest.corpus())) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                for (String line : LogCase.read(file).log()) {
                    LogLine parsed = ConsoleLineParser.parse(1, line);
                    texts.add(parsed == null ? line : parsed.text());
                }
            }
        }
        int kinds = 0;
        int starts = 0;
        int faults = 0;
        byte[] buffer = new byte[texts.stream().mapToInt(String::length).max().orElse(0)];
        for (String text : texts) {
            int hints = LineMarks.titleHints(LineMarks.scan(text, 0, buffer));
            int stackStarts = StackStarts.of(text);
            kinds |= stackStarts;
            if (stackStarts != 0) {
                starts++;
                assertTrue((hints & TitleExtractor.MAY_START_STACK) != 0, "a stack start not marked: " + text);
            }
            if (text.contains("should_fail")) {
                faults++;
                assertTrue((hints & TitleExtractor.MAY_INJECT_FAULT) != 0, "a fault injection not marked: " + text);
            }
        }
        assertEquals((1 << StackStarts.KINDS) - 1, kinds, "every kind of stack start was tried");
        assertTrue(starts > 1000 && faults > 10, starts + " stack starts, " + faults + " fault injections");
    }
}
