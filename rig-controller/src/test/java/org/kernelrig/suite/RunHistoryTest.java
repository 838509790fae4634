package org.kernelrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelrig.suite.Runs.NIGHT1;
import static org.kernelrig.suite.Runs.NIGHT2;
import static org.kernelrig.suite.Runs.SYSRQ;
import static org.kernelrig.suite.Runs.run;
import static org.kernelrig.suite.Runs.unreachable;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;

class RunHistoryTest {

    @Test
    void readsLoneRunsAndSuiteRunsAndLeavesOutWhatIsNotARunReport(@TempDir Path reports) throws Exception {
        RunReport lone = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.minusSeconds(3600), SYSRQ);
        RunReport inSuite = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.plusSeconds(60), SYSRQ);
        Runs.write(reports, lone);
        Path suite = Files.createDirectories(reports.resolve("20261123-020000-nightly"));
        Runs.write(suite, inSuite);
        Files.writeString(suite.resolve("summary.json"), "{}");

        String whole = JsonReport.render(run("pi4", "lkdtm-bug", Outcome.FAIL, NIGHT1, SYSRQ));
        Map<String, byte[]> bad = Map.of(
                "half-written", whole.substring(0, whole.length() / 2).getBytes(),
                "empty", new byte[0],
                "foreign", "{\"name\": \"some other tool\", \"version\": 3}".getBytes(),
                "future-schema", whole.replace("rig-run-report/1", "rig-run-report/2").getBytes(),
                "no-outcome", whole.replace("\"outcome\" : \"FAIL\",", "").getBytes(),
                "not-an-object", "[1, 2, 3]".getBytes(),
                "binary", new byte[] {0, (byte) 0xff, 0x7b, 0x00, 0x22});
        for (Map.Entry<String, byte[]> entry : bad.entrySet()) {
            Path dir = Files.createDirectories(suite.resolve(entry.getKey()));
            Files.write(dir.resolve("report.json"), entry.getValue());
        }
        Path huge = Files.createDirectories(reports.resolve("huge")).resolve("report.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(RunHistory.MAX_REPORT_BYTES + 1);
        }
        Files.createDirectories(reports.resolve("a-run-still-going")).resolve("run.log").toFile().createNewFile();
        Files.writeString(reports.resolve("README.md"), "# reports\n");

        RunHistory history = RunHistory.read(reports);

        assertEquals(List.of(lone.runId(), inSuite.runId()), history.reports().stream().map(RunReport::runId).toList());
        assertEquals(lone, history.reports().get(0), "read back exactly as written");
        assertEquals(null, history.runs().get(0).suiteId());
        assertEquals("20261123-020000-nightly", history.runs().get(1).suiteId());
        Map<String, String> why = history.unreadable().stream().collect(Collectors.toMap(
                u -> u.file().getParent().getFileName().toString(), RunHistory.Unreadable::why));
        assertEquals(Map.of("half-written", "", "empty", "", "foreign", "", "future-schema", "", "no-outcome", "",
                "not-an-object", "", "binary", "", "huge", "").keySet(), why.keySet());
        assertTrue(why.get("huge").startsWith("too large for a run report"), why.get("huge"));
        assertTrue(why.get("foreign").contains("not a rig run report (schema missing"), why.get("foreign"));
        assertTrue(why.get("future-schema").contains("'rig-run-report/2'"), why.get("future-schema"));
        assertTrue(why.get("no-outcome").startsWith("incomplete run report"), why.get("no-outcome"));
        assertTrue(why.get("empty").equals("not a JSON object"), why.get("empty"));
        assertEquals("8 earlier reports could not be read and were left out", history.warnings().get(0));
        assertEquals(9, history.warnings().size());
    }

    @Test
    void aMissingReportsFolderIsAnEmptyHistory(@TempDir Path dir) {
        RunHistory history = RunHistory.read(dir.resolve("nothing-here"));

        assertTrue(history.runs().isEmpty());
        assertTrue(history.warnings().isEmpty());
    }

    @Test
    void previousRunIsTheLatestEarlierOneThatSawTheKernel(@TempDir Path reports) throws Exception {
        RunReport older = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.minusSeconds(86_400), SYSRQ);
        RunReport last = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1, SYSRQ);
        RunReport unreached = unreachable("pi4", "sysrq-panic", NIGHT1.plusSeconds(3600));
        RunReport otherBoard = run("bbb", "sysrq-panic", Outcome.PASS, NIGHT1.plusSeconds(7200), SYSRQ);
        RunReport otherScenario = run("pi4", "lkdtm-bug", Outcome.PASS, NIGHT1.plusSeconds(7200));
        RunReport tonight = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT2, SYSRQ);
        for (RunReport r : List.of(older, last, unreached, otherBoard, otherScenario, tonight)) {
            Runs.write(reports, r);
        }

        RunHistory history = RunHistory.read(reports);

        assertEquals(last, history.previousRun("pi4", "sysrq-panic", NIGHT2).orElseThrow());
        assertEquals(older, history.previousRun("pi4", "sysrq-panic", NIGHT1).orElseThrow());
        assertTrue(history.previousRun("pi4", "sysrq-panic", older.started()).isEmpty());
        assertTrue(history.previousRun("rpi5", "sysrq-panic", NIGHT2).isEmpty());
        assertEquals(5, history.before(NIGHT2).size());
    }

    @Test
    void previousSuiteIsTheLatestEarlierSuiteFolder(@TempDir Path reports) throws Exception {
        Path monday = Files.createDirectories(reports.resolve("20261122-020000-nightly"));
        Path tuesday = Files.createDirectories(reports.resolve("20261123-020000-nightly"));
        Path tonight = Files.createDirectories(reports.resolve("20261124-020000-nightly"));
        Runs.write(monday, run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.minusSeconds(86_400), SYSRQ));
        RunReport a = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1, SYSRQ);
        RunReport b = run("bbb", "sysrq-panic", Outcome.FAIL, NIGHT1.plusSeconds(50));
        Runs.write(tuesday, a);
        Runs.write(tuesday, b);
        Runs.write(tonight, run("pi4", "sysrq-panic", Outcome.PASS, NIGHT2, SYSRQ));
        Runs.write(reports, run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.plusSeconds(3600), SYSRQ));

        RunHistory history = RunHistory.read(reports);

        assertEquals(List.of("20261122-020000-nightly", "20261123-020000-nightly", "20261124-020000-nightly"),
                history.suites().stream().map(RunHistory.PastSuite::suiteId).toList());
        RunHistory.PastSuite previous = history.previousSuite(NIGHT2.plusSeconds(10), "20261124-020000-nightly")
                .orElseThrow();
        assertEquals("20261123-020000-nightly", previous.suiteId());
        assertEquals(List.of(a, b), previous.runs());
        assertEquals(NIGHT1, previous.started());
        assertEquals(tuesday, previous.folder());
    }
}
