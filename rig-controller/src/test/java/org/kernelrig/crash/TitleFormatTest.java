package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

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
}
