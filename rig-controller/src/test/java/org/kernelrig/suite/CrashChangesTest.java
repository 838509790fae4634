package org.kernelrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.suite.CrashChanges.Comparison;
import org.kernelrig.suite.CrashChanges.RunChange;

class CrashChangesTest {

    @Test
    void newStillAndGoneAcrossTwoSuitesReadFromDisk(@TempDir Path reports) throws Exception {
        Path yesterday = Files.createDirectories(reports.resolve("20261123-020000-nightly"));
        Runs.write(yesterday, run("pi4", "usb-write", Outcome.FAIL, NIGHT1, USB, WARN));
        Runs.write(yesterday, run("bbb", "usb-write", Outcome.PASS, NIGHT1.plusSeconds(60)));
        Runs.write(yesterday, run("pi4", "sysrq-panic", Outcome.PASS, NIGHT1.plusSeconds(120), SYSRQ));
        RunHistory history = RunHistory.read(reports);
        RunHistory.PastSuite previous = history.previousSuite(NIGHT2, null).orElseThrow();

        RunReport pi4Usb = run("pi4", "usb-write", Outcome.FAIL, NIGHT2, WARN, SYSRQ);
        RunReport bbbUsb = run("bbb", "usb-write", Outcome.FAIL, NIGHT2.plusSeconds(60), USB);
        RunReport pi4Sysrq = run("pi4", "sysrq-panic", Outcome.PASS, NIGHT2.plusSeconds(120), SYSRQ);
        RunReport rpi5 = run("rpi5", "sysrq-panic", Outcome.PASS, NIGHT2.plusSeconds(180), SYSRQ);
        CrashChanges changes = CrashChanges.compare(previous.runs(), List.of(pi4Usb, bbbUsb, pi4Sysrq, rpi5));

        RunChange a = changes.of(pi4Usb.runId()).orElseThrow();
        assertEquals(Comparison.COMPARED, a.comparison());
        assertEquals(previous.runs().get(0).runId(), a.previousRunId());
        assertEquals(List.of("88490c67d2e2684e"), fingerprints(a.added()));
        assertEquals(List.of("99a630072c3893af"), fingerprints(a.still()));
        assertEquals(List.of("1111222233334444"), fingerprints(a.gone()));
        assertEquals(USB.title(), a.gone().get(0).title(), "a gone crash keeps its title for the reader");

        RunChange b = changes.of(bbbUsb.runId()).orElseThrow();
        assertEquals(List.of("1111222233334444"), fingerprints(b.added()));
        assertTrue(b.still().isEmpty() && b.gone().isEmpty());

        RunChange c = changes.of(pi4Sysrq.runId()).orElseThrow();
        assertEquals(List.of("88490c67d2e2684e"), fingerprints(c.still()));
        assertTrue(c.added().isEmpty() && c.gone().isEmpty());

        RunChange d = changes.of(rpi5.runId()).orElseThrow();
        assertEquals(Comparison.FIRST_RUN, d.comparison());
        assertNull(d.previousRunId());
        assertTrue(d.added().isEmpty() && d.still().isEmpty() && d.gone().isEmpty());

        assertEquals(2, changes.newCount());
        assertEquals(1, changes.goneCount());
    }

    @Test
    void aRunThatNeverSawTheKernelReportsNothingGone() {
        RunReport before = run("pi4", "usb-write", Outcome.FAIL, NIGHT1, USB);
        RunReport now = unreachable("pi4", "usb-write", NIGHT2);

        RunChange change = CrashChanges.compare(List.of(before), List.of(now)).of(now.runId()).orElseThrow();

        assertEquals(Comparison.NOT_OBSERVED, change.comparison());
        assertTrue(change.gone().isEmpty(), "an unreachable board did not fix the bug");
    }

    @Test
    void anEarlierRunThatNeverSawTheKernelIsPassedOver() {
        RunReport twoNightsAgo = run("pi4", "usb-write", Outcome.FAIL, NIGHT1.minusSeconds(86_400), USB);
        RunReport lastNight = unreachable("pi4", "usb-write", NIGHT1);
        RunReport now = run("pi4", "usb-write", Outcome.FAIL, NIGHT2, USB);

        RunChange change = CrashChanges.compare(List.of(twoNightsAgo, lastNight), List.of(now)).of(now.runId())
                .orElseThrow();

        assertEquals(twoNightsAgo.runId(), change.previousRunId());
        assertEquals(List.of("1111222233334444"), fingerprints(change.still()));
        assertTrue(change.added().isEmpty());
    }

    @Test
    void aLabErrorAfterTheCaptureStillCounts() {
        RunReport before = run("pi4", "usb-write", Outcome.FAIL, NIGHT1, USB);
        RunReport now = Runs.notBack(run("pi4", "usb-write", Outcome.FAIL, NIGHT2, USB));

        RunChange change = CrashChanges.compare(List.of(before), List.of(now)).of(now.runId()).orElseThrow();

        assertEquals(Comparison.COMPARED, change.comparison());
        assertEquals(List.of("1111222233334444"), fingerprints(change.still()));
    }

    @Test
    void aWholeHistoryWithTheCurrentRunsInItComparesOnlyWithEarlierRuns() {
        RunReport before = run("pi4", "usb-write", Outcome.PASS, NIGHT1);
        RunReport now = run("pi4", "usb-write", Outcome.FAIL, NIGHT2, USB);
        RunReport later = run("pi4", "usb-write", Outcome.FAIL, NIGHT2.plusSeconds(86_400), USB);

        RunChange change = CrashChanges.compare(List.of(before, now, later), List.of(now)).of(now.runId()).orElseThrow();

        assertEquals(before.runId(), change.previousRunId());
        assertEquals(List.of("1111222233334444"), fingerprints(change.added()));
    }

    @Test
    void theSameCrashTwiceCountsOnceAndACrashWithoutFingerprintIsComparedByKindAndTitle() {
        RunReport.CrashFinding bare = crash(null, "warning", "WARNING in foo", "WARNING: CPU: 1 PID: 9 at foo.c:3 foo");
        RunReport.CrashFinding bareAgain = crash("", "warning", "WARNING in foo", "WARNING: CPU: 0 PID: 7 at foo.c:3 foo");
        RunReport before = run("pi4", "stress", Outcome.FAIL, NIGHT1, bare);
        RunReport now = run("pi4", "stress", Outcome.FAIL, NIGHT2, bareAgain, bareAgain, WARN, WARN);

        RunChange change = CrashChanges.compare(List.of(before), List.of(now)).of(now.runId()).orElseThrow();

        assertEquals(1, change.still().size());
        assertEquals("WARNING in foo", change.still().get(0).title());
        assertEquals(List.of("99a630072c3893af"), fingerprints(change.added()));
    }

    private static List<String> fingerprints(List<CrashRef> crashes) {
        return crashes.stream().map(CrashRef::fingerprint).toList();
    }
}
