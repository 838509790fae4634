package org.kernelrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.TimelineEntry;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.JsonNode;

class ReportWritersTest {

    static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
    static final String HOSTILE = "<script>alert('x')</script> & \u0001\u001b[31m \uFFFF";

    static RunReport report(Outcome outcome) {
        RunReport.CrashFinding crash = new RunReport.CrashFinding("panic",
                "Kernel panic - not syncing: sysrq triggered crash", "kernel panic: sysrq triggered crash " + HOSTILE, "sysrq_handle_crash", "3f2a9c", true, false,
                true, List.of("sysrq_handle_crash", "__handle_sysrq"),
                List.of("Kernel panic - not syncing: sysrq triggered crash", "Call Trace:", " <TASK>",
                        " sysrq_handle_crash+0x16/0x20", " __handle_sysrq+0x9b/0x190", HOSTILE),
                Set.of("netconsole", "serial"), 2, 7);
        return new RunReport("20261124-080000-sysrq-panic-qemu-x86_64", "0.1.0",
                new RunReport.ScenarioInfo("sysrq-panic", "scenarios/sysrq-panic.yaml", "Panic with SysRq c", 917206,
                        "sysrq c", "panic crash"),
                new RunReport.BoardInfo("qemu-x86_64", "virtual", "root@127.0.0.1:40022", "qemu"),
                new RunReport.KernelInfo("6.1.0-26-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1", "x86_64",
                        "QEMU Standard PC (i440FX + PIIX, 1996)"),
                T0, T0.plusSeconds(42),
                List.of(new RunReport.PhaseRecord("connect", T0, Duration.ofSeconds(12), "ok", null),
                        new RunReport.PhaseRecord("capture", T0.plusSeconds(12), Duration.ofSeconds(5), "ok", HOSTILE)),
                outcome, "expected a panic crash: found " + HOSTILE, null, List.of(crash),
                new RunReport.WitnessStats(true, 480, Map.of("gaps", 0L), null),
                RunReport.WitnessStats.disabled("no serial console"),
                new RunReport.WitnessStats(true, 1, Map.of("records", 1L), null),
                new RunReport.Recovery("power-cycle", true, Duration.ofSeconds(14), null), List.of(HOSTILE));
    }

    static List<TimelineEntry> console() {
        return List.of(
                new TimelineEntry(1, T0.plusSeconds(13), "sysrq: Trigger a crash", Set.of(ConsoleLine.Source.NETCONSOLE,
                        ConsoleLine.Source.SERIAL), 52_000_000L, 6, false),
                new TimelineEntry(2, T0.plusSeconds(13), HOSTILE, Set.of(ConsoleLine.Source.SERIAL), null, null, false));
    }

    @Test
    void datagramsLostBeforeRigCouldReadThemAreInEveryReport() throws Exception {
        RunReport base = report(Outcome.PASS);
        String note = "lost 17 datagrams before rig could read them (the doctor's socket buffer was full)";
        RunReport lossy = new RunReport(base.runId(), base.rigVersion(), base.scenario(), base.board(), base.kernel(),
                base.started(), base.ended(), base.phases(), base.outcome(), base.reason(),
                base.interruptedPhase(), base.crashes(),
                new RunReport.WitnessStats(true, 480, Map.of("gaps", 0L, "lost-before-read", 17L), note),
                base.serial(), base.pstore(), base.recovery(), base.warnings());

        String html = HtmlReport.render(lossy, console());
        assertTrue(html.contains("lost-before-read 17"), html);
        assertTrue(html.contains(Html.escape(note)), html);
        JsonNode json = JsonReport.mapper().readTree(JsonReport.render(lossy));
        assertEquals(17, json.path("netconsole").path("counters").path("lost-before-read").asLong(), json.toString());
        assertEquals(note, json.path("netconsole").path("note").asText());
    }

    @Test
    void htmlEscapesEverythingFromTheBoard() {
        String html = HtmlReport.render(report(Outcome.PASS), console());

        assertFalse(html.contains("<script>"), "no markup from the board");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"));
        assertFalse(html.contains("\u0001") || html.contains("\u001b"), "no control characters");
        assertTrue(html.contains("<header class=\"verdict pass\">"));
        assertTrue(html.contains("sysrq_handle_crash"));
        assertTrue(html.contains("https://bugs.debian.org/917206"));
        assertTrue(html.contains("<tr id=\"l2\" class=\"in-crash\">"), "crash lines marked");
    }

    @Test
    void junitIsWellFormedWithTheCrash() throws Exception {
        String xml = JUnitReport.render(List.of(report(Outcome.FAIL), report(Outcome.ERROR), report(Outcome.PASS)), "rig");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = doc.getDocumentElement();
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals("panic", failure.getAttribute("type"));
        assertTrue(failure.getTextContent().contains("sysrq_handle_crash+0x16/0x20"));
        assertEquals("rig.qemu-x86_64", ((Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("classname"));
    }

    @Test
    void jsonHasTheSchemaAndEverything() throws Exception {
        JsonNode json = JsonReport.mapper().readTree(JsonReport.render(report(Outcome.PASS)));

        assertEquals(JsonReport.SCHEMA, json.get("schema").asText());
        assertEquals("PASS", json.get("outcome").asText());
        assertEquals("2026-11-24T08:00:00Z", json.get("started").asText());
        assertEquals(12.0, json.get("phases").get(0).get("took").asDouble(), 1e-9);
        assertEquals("sysrq_handle_crash", json.get("crashes").get(0).get("guiltyFrame").asText());
        assertEquals(480, json.get("netconsole").get("lines").asInt());
    }

    @Test
    void summaryIsReadyForABugReport() {
        String summary = SummaryText.render(report(Outcome.FAIL));

        assertTrue(summary.startsWith("Outcome:   FAIL - "));
        assertTrue(summary.contains("Scenario:  sysrq-panic (Debian bug #917206)"));
        assertTrue(summary.contains("Kernel:    6.1.0-26-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1"));
        assertTrue(summary.contains("\nKernel panic - not syncing: sysrq triggered crash\n(panic, panicked, title "
                + "\"kernel panic: sysrq triggered crash"), summary);
        assertTrue(summary.contains(", seen on netconsole and serial)"), summary);
        assertTrue(summary.contains(" __handle_sysrq+0x9b/0x190\n"));
    }

    @Test
    void theFolderHoldsAllFourReports(@TempDir Path dir) throws Exception {
        ReportFolder folder = new ReportFolder(dir.resolve("run-1"));

        folder.write(report(Outcome.PASS), console());

        for (String name : List.of("report.json", "report.html", "junit.xml", "summary.txt")) {
            assertTrue(Files.size(folder.file(name)) > 100, name);
        }
        try (var files = Files.list(folder.directory())) {
            assertEquals(4, files.count(), "no temporary files left");
        }
    }
}
