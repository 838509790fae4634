package org.kernelrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelrig.suite.Runs.NIGHT1;
import static org.kernelrig.suite.Runs.NIGHT2;
import static org.kernelrig.suite.Runs.SYSRQ;
import static org.kernelrig.suite.Runs.USB;
import static org.kernelrig.suite.Runs.WARN;
import static org.kernelrig.suite.Runs.crash;
import static org.kernelrig.suite.Runs.run;
import static org.kernelrig.suite.Runs.unreachable;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.report.RunReport.CrashFinding;
import org.kernelrig.suite.CrashChanges.Comparison;
import org.kernelrig.suite.SuiteReport.Change;
import org.kernelrig.suite.SuiteReport.SuiteRun;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;

class SuiteReportTest {

    static final String HOSTILE = "<script>alert('x')</script> & \"q\" \u0001\u001b[31m";
    static final CrashFinding EVIL = crash("5555666677778888", "oops", "BUG in evil " + HOSTILE, "Oops: " + HOSTILE);

    static final List<RunReport> LAST_NIGHT = List.of(
            run("pi4", "usb-write", Outcome.FAIL, NIGHT1, USB, WARN),
            run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.plusSeconds(60), SYSRQ),
            run("bbb", "usb-write", Outcome.PASS, NIGHT1.plusSeconds(120)));

    static final List<RunReport> TONIGHT = List.of(
            run("pi4", "usb-write", Outcome.FAIL, NIGHT2, WARN, EVIL),
            run("pi4", "sysrq-panic", Outcome.PASS, NIGHT2.plusSeconds(60), SYSRQ),
            run("bbb", "usb-write", Outcome.FAIL, NIGHT2.plusSeconds(120), USB),
            unreachable("bbb", "sysrq-panic", NIGHT2.plusSeconds(180)),
            unreachable("rpi5", "usb-write", NIGHT2.plusSeconds(240)),
            unreachable("rpi5", "sysrq-panic", NIGHT2.plusSeconds(300)),
            run("x86", "sysrq-panic", Outcome.PASS, NIGHT2.plusSeconds(360), SYSRQ));

    static SuiteReport tonight() throws Exception {
        KnownCrashes known = KnownCrashes.load(Path.of("..", KnownCrashes.FILE_NAME), "known-crashes.yaml");
        SuiteReport.Header header = new SuiteReport.Header("20261124-020000-nightly", "0.1.0", NIGHT2,
                NIGHT2.plusSeconds(1800), "linux-image-6.12.1-amd64 (6.12.1-1)",
                List.of("pi4", "bbb", "rpi5", "x86"), List.of("sysrq-panic", "usb-write", "lkdtm-warning"),
                "suite 20261123-020000-nightly");
        return SuiteReport.assemble(header, TONIGHT, CrashChanges.compare(LAST_NIGHT, TONIGHT), known,
                List.of("1 earlier report could not be read and was left out", "reports/x/report.json: " + HOSTILE));
    }

    @Test
    void theReportMarksNewStillGoneKnownAndBrokenBoards() throws Exception {
        SuiteReport suite = tonight();

        SuiteRun pi4Usb = suite.runs().get(0);
        assertEquals(List.of(Change.STILL, Change.NEW), pi4Usb.crashes().stream().map(c -> c.change()).toList());
        assertEquals(List.of(USB.fingerprint()), pi4Usb.gone().stream().map(c -> c.fingerprint()).toList());
        assertEquals(917206, pi4Usb.gone().get(0).known().debianBug(), "a gone crash keeps its known bug");
        SuiteRun bbbUsb = suite.runs().get(2);
        assertEquals(Change.NEW, bbbUsb.crashes().get(0).change());
        assertEquals("usb-storage-917206", bbbUsb.crashes().get(0).known().name());
        assertEquals("sysrq-panic-on-purpose", suite.runs().get(1).crashes().get(0).known().name());
        assertEquals(Comparison.FIRST_RUN, suite.runs().get(6).comparison());
        assertNull(suite.runs().get(6).crashes().get(0).change(), "no mark without a previous run");
        assertEquals(Comparison.NOT_OBSERVED, suite.runs().get(3).comparison());

        assertEquals(List.of("pi4", "bbb", "rpi5", "x86"), suite.boards());
        assertEquals(List.of("sysrq-panic", "usb-write", "lkdtm-warning"), suite.scenarios());
        assertEquals(1, suite.brokenBoards().size());
        assertEquals("rpi5", suite.brokenBoards().get(0).board());
        assertEquals("all 2 runs ended in a lab error: board rpi5: SSH connection refused",
                suite.brokenBoards().get(0).why());
        assertEquals(new SuiteReport.Counts(7, 2, 2, 3, 2, 1, 3, 1), suite.counts());
        assertEquals("2 pass · 2 fail · 3 error · 2 new crashes · 1 gone · 3 known · 1 board broken",
                SuiteHtml.summaryLine(suite));
        assertEquals(Outcome.FAIL, suite.outcome());
        assertEquals(1, suite.exitCode());
    }

    @Test
    void exitCodeIsFailOverErrorOverPass() {
        assertEquals(0, suiteOf(run("a", "s", Outcome.PASS, NIGHT2)).exitCode());
        assertEquals(125, suiteOf(run("a", "s", Outcome.PASS, NIGHT2), unreachable("b", "s", NIGHT2)).exitCode());
        assertEquals(1, suiteOf(unreachable("b", "s", NIGHT2), run("a", "s", Outcome.FAIL, NIGHT2),
                run("c", "s", Outcome.PASS, NIGHT2)).exitCode());
        assertEquals(125, suiteOf().exitCode(), "a suite that ran nothing is a lab error");
    }

    @Test
    void aBoardThatDidNotComeBackIsBrokenButOneFlakyErrorIsNot() {
        SuiteReport suite = suiteOf(
                run("pi4", "a", Outcome.PASS, NIGHT2), unreachable("pi4", "b", NIGHT2.plusSeconds(60)),
                run("pi4", "c", Outcome.PASS, NIGHT2.plusSeconds(120)),
                run("bbb", "a", Outcome.PASS, NIGHT2), Runs.notBack(run("bbb", "b", Outcome.FAIL, NIGHT2.plusSeconds(60), USB)));

        assertEquals(List.of("bbb"), suite.brokenBoards().stream().map(SuiteReport.BrokenBoard::board).toList());
        assertEquals("did not come back after b (power-cycle: no SSH within 180 s)", suite.brokenBoards().get(0).why());
    }

    @Test
    void theHtmlEscapesHostileCrashTitlesAndLinksEveryCell() throws Exception {
        String html = SuiteHtml.render(tonight());

        assertFalse(html.contains("<script>"), "no markup from the board");
        assertFalse(html.contains("\u0001") || html.contains("\u001b"), "no control characters");
        assertTrue(html.contains("Oops: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"), html);
        assertTrue(html.contains("title=\"BUG in evil &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
        assertTrue(html.contains("<p class=\"summary\">2 pass · 2 fail · 3 error · 2 new crashes · 1 gone · 3 known · "
                + "1 board broken</p>"));
        assertTrue(html.contains("<header class=\"verdict fail\">"));

        // Each run's cell links its own report, relative to the suite's folder.
        List<String> links = new ArrayList<>();
        Matcher cell = Pattern.compile("<a class=\"outcome (pass|fail|error)\" href=\"([^\"]+)\"").matcher(html);
        while (cell.find()) {
            links.add(cell.group(2));
        }
        assertEquals(TONIGHT.stream().map(r -> r.runId() + "/report.html").sorted().toList(), links.stream().sorted()
                .toList());
        // ... in its board's row, in the order of the scenario columns.
        String pi4Row = html.substring(html.indexOf("<tr><th class=\"board\">pi4"));
        pi4Row = pi4Row.substring(0, pi4Row.indexOf("</tr>"));
        assertTrue(pi4Row.indexOf(TONIGHT.get(1).runId()) > 0
                && pi4Row.indexOf(TONIGHT.get(0).runId()) > pi4Row.indexOf(TONIGHT.get(1).runId()), pi4Row);
        assertEquals(4 * 3 - TONIGHT.size(), count(html, "<td class=\"cell none\">not run</td>"));
        assertEquals(4 * 3, count(html, "<td class=\"cell "));
        assertTrue(html.contains("<span class=\"mark new\">new</span>"));
        assertTrue(html.contains("<span class=\"mark still\">still</span>"));
        assertTrue(html.contains("<span class=\"mark gone\">gone</span>"));
        assertTrue(html.contains("<span class=\"mark first\">first run</span>"));
        assertTrue(html.contains("<a class=\"bug\" href=\"https://bugs.debian.org/917206\" title=\"usb-storage-917206: "
                + "kernel crash while writing to a USB mass storage device\">Debian #917206</a>"));
        assertTrue(html.contains("rpi5<span class=\"mark broken\">broken</span>"));
    }

    @Test
    void aHostileRunIdCannotLeaveItsLink() {
        assertEquals("run%22%3E%3Cscript%3E%20x/report.html", SuiteHtml.reportLink("run\"><script> x"));
        assertEquals("%2E%2E/report.html", SuiteHtml.reportLink(".."));
        assertEquals("20261124-020000-sysrq-panic-pi4/report.html",
                SuiteHtml.reportLink("20261124-020000-sysrq-panic-pi4"));
    }

    @Test
    void junitXmlHasOneTestCasePerRunAndParses(@TempDir Path reports) throws Exception {
        SuiteFolder folder = SuiteFolder.create(reports.resolve("reports"), NIGHT2, "nightly");
        folder.write(tonight(), TONIGHT);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(folder.file(SuiteFolder.JUNIT))));
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("7", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("3", suite.getAttribute("errors"));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(7, cases.getLength());
        Element first = (Element) cases.item(0);
        assertEquals("rig.pi4", first.getAttribute("classname"));
        assertEquals("usb-write", first.getAttribute("name"));
        assertTrue(first.getTextContent().contains("Oops: <script>"), "text from the board, as text");
        assertEquals("report: reports/20261124-020000-nightly/" + TONIGHT.get(0).runId() + "/report.html\n",
                first.getElementsByTagName("system-out").item(0).getTextContent());
    }

    @Test
    void summaryJsonRoundTripsAndNamesItsSchema(@TempDir Path reports) throws Exception {
        SuiteReport report = tonight();
        SuiteFolder folder = SuiteFolder.create(reports, NIGHT2, "nightly");
        folder.write(report, TONIGHT);

        byte[] json = Files.readAllBytes(folder.file(SuiteFolder.SUMMARY));
        assertEquals(report, SuiteJson.read(json));
        JsonNode tree = JsonReport.mapper().readTree(json);
        assertEquals("rig-suite-report/1", tree.get("schema").asText());
        assertEquals("FAIL", tree.get("outcome").asText());
        assertEquals(1, tree.get("exitCode").asInt());
        assertEquals(2, tree.get("counts").get("newCrashes").asInt());
        JsonNode run = tree.get("runs").get(0);
        assertEquals("still", run.get("crashes").get(0).get("change").asText());
        assertEquals("gone", run.get("gone").get(0).get("change").asText());
        assertEquals(917206, run.get("gone").get(0).get("known").get("debianBug").asInt());
        assertEquals("compared", run.get("comparison").asText());
        assertEquals(40.0, run.get("took").asDouble(), 1e-9);
        assertEquals("2026-11-24T02:00:00Z", tree.get("started").asText());
        assertEquals("rpi5", tree.get("brokenBoards").get(0).get("board").asText());

        try (var files = Files.list(folder.directory())) {
            assertEquals(List.of("index.html", "junit.xml", "summary.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void suiteFoldersAreNamedByTimeAndNeverReused(@TempDir Path reports) throws Exception {
        SuiteFolder first = SuiteFolder.create(reports, NIGHT2, "nightly");
        SuiteFolder second = SuiteFolder.create(reports, NIGHT2, "nightly");

        assertEquals("20261124-020000-nightly", first.suiteId());
        assertEquals("20261124-020000-nightly-2", second.suiteId());
        assertTrue(Files.isDirectory(second.directory()));
    }

    @Test
    void aSuiteWrittenToDiskIsReadBackAsHistory(@TempDir Path reports) throws Exception {
        SuiteFolder folder = SuiteFolder.create(reports, NIGHT2, "nightly");
        for (RunReport run : TONIGHT) {
            Runs.write(folder.directory(), run);
        }
        folder.write(tonight(), TONIGHT);

        RunHistory history = RunHistory.read(reports);

        assertEquals(TONIGHT.size(), history.runs().size());
        assertTrue(history.unreadable().isEmpty(), history.unreadable().toString());
        assertEquals(folder.suiteId(), history.suites().get(0).suiteId());
    }

    private static SuiteReport suiteOf(RunReport... runs) {
        List<RunReport> list = List.of(runs);
        return SuiteReport.assemble(new SuiteReport.Header("s", "0.1.0", NIGHT2, NIGHT2.plusSeconds(60), null, List.of(),
                List.of(), null), list, CrashChanges.compare(List.of(), list), KnownCrashes.none(), List.of());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
