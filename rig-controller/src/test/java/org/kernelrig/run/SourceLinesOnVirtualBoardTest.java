package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.testing.RequiredTool;

/**
 * A real oops of LKDTM-lite on the virtual board, its report showing the
 * source line of the faulting statement: the module is built with DWARF
 * and the image keeps it, so report.json, summary.txt and report.html give
 * lkdtm_lite.c and the line that the source marks as the crash site.
 */
class SourceLinesOnVirtualBoardTest {

    @TempDir
    static Path dir;
    static Inventory inventory;
    static Board board;

    @BeforeAll
    static void tools() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        RequiredTool.require("addr2line", "binutils");
        inventory = Inventory.load(Path.of("../inventory"));
        board = inventory.find("qemu-x86_64").orElseThrow();
    }

    @AfterAll
    static void switchOff() throws Exception {
        if (board != null) {
            Path file = dir.resolve("off.yaml");
            Files.writeString(file, "trigger: {command: 'true'}\nexpect: no-crash\nleave-board: off\n");
            new ScenarioRunner(ScenarioFile.load(file, "off.yaml", inventory), board,
                    ScenarioRunner.Options.defaults(dir.resolve("off")), "test").run();
        }
    }

    @Test
    void theOopsReportShowsTheLineOfTheFaultingStatement() throws Exception {
        Scenario scenario = ScenarioFile.load(Path.of("../scenarios/lkdtm-oops.yaml"), "lkdtm-oops.yaml", inventory);
        String expected = "lkdtm_lite.c:" + markedLine("/* the crash site of EXCEPTION */");

        ScenarioRunner.Result result = new ScenarioRunner(scenario, board,
                ScenarioRunner.Options.defaults(dir.resolve("reports")), "test").run();

        RunReport report = result.report();
        assertEquals(Outcome.PASS, report.outcome(), report.reason());
        RunReport.CrashFinding crash = report.crashes().get(0);
        RunReport.SourceFrame site = crash.sourceFrames().get(0);
        assertTrue(site.site(), site.toString());
        assertTrue(site.frame().startsWith("crash_exception+") && site.frame().endsWith(" [lkdtm]"), site.frame());
        // the module is built with its source folder mapped to a short, stable path
        assertEquals("/usr/src/lkdtm-lite/" + expected, site.location());
        String call = "/lkdtm_lite.c:" + markedLine("crash_types[i].provoke();");
        assertTrue(crash.sourceFrames().stream().anyMatch(f -> !f.site() && f.frame().startsWith("direct_write")
                && f.location() != null && f.location().endsWith(call)),
                "the caller's frame names its call: " + crash.sourceFrames());
        assertTrue(crash.sourceNote() == null || crash.sourceNote().contains("vmlinux"),
                "only the kernel's own frames may lack lines, for want of a vmlinux: " + crash.sourceNote());

        String json = Files.readString(result.folder().resolve("report.json"));
        String summary = Files.readString(result.folder().resolve("summary.txt"));
        String html = Files.readString(result.folder().resolve("report.html"));
        for (String text : List.of(json, summary, html)) {
            assertTrue(text.contains(expected), expected + " missing in:\n" + text);
        }
        assertTrue(summary.contains(site.frame() + " (crash site): " + site.location()), summary);
    }

    private static int markedLine(String marker) throws IOException {
        try (InputStream in = SourceLinesOnVirtualBoardTest.class
                .getResourceAsStream("/org/kernelrig/virtualboard/lkdtm-lite/lkdtm_lite.c")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(marker)) {
                    return i + 1;
                }
            }
        }
        throw new AssertionError("lkdtm_lite.c has no line with " + marker);
    }
}
