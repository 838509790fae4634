package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.Timeline;
import org.kernelrig.crash.Crash;
import org.kernelrig.pstore.PstoreContents;
import org.kernelrig.pstore.PstoreDecoder;
import org.kernelrig.pstore.PstoreRecord;

/** A crash that only pstore kept, found on the merged console, from real ramoops and EFI records. */
class RecoveredCrashTest {

    static final Path RECORDS = Path.of("src/test/resources/pstore");
    static final Instant READ_AT = Instant.parse("2026-11-24T09:00:00Z");

    static PstoreContents decode(String folder) throws Exception {
        List<PstoreRecord> records = new ArrayList<>();
        try (var files = Files.list(RECORDS.resolve(folder))) {
            for (Path file : files.sorted().toList()) {
                records.add(new PstoreRecord(file.getFileName().toString(), Files.readAllBytes(file), null));
            }
        }
        return PstoreDecoder.decode(records, READ_AT);
    }

    @Test
    void aPanicKnownOnlyFromRamoopsIsFoundAfterTheTrigger() throws Exception {
        Timeline timeline = new Timeline();
        timeline.add(ConsoleLine.plain(READ_AT.minusSeconds(60), ConsoleLine.Source.SERIAL, "login: rig connected"));
        int trigger = timeline.size();
        List<ConsoleLine> lines = RecoveredLines.ofRun(decode("ramoops-panic").dumps(), Set.of(),
                "rig-pstore-capture: ramoops sysrq panic");

        assertEquals("rig-pstore-capture: ramoops sysrq panic", lines.get(0).text(), "from the run's marker on");
        timeline.addRecovered(lines);
        List<Crash> crashes = MergedAnalysis.crashesAfter(timeline.entries(), trigger, trigger);

        assertEquals(1, crashes.size());
        assertEquals("kernel panic: sysrq triggered crash", crashes.get(0).title());
        assertTrue(crashes.get(0).firstLine() > trigger);
        assertTrue(MergedAnalysis.onlyRecovered(timeline.entries(), crashes.get(0)));
    }

    @Test
    void recordsThatWereOnTheBoardBeforeTheTriggerAreNotThisRuns() throws Exception {
        PstoreContents contents = decode("efi-oops-then-panic");
        Set<String> oopsRecords = Set.copyOf(contents.dumps().get(0).records());

        List<ConsoleLine> lines = RecoveredLines.ofRun(contents.dumps(), oopsRecords, "no such marker");

        assertEquals(contents.dumps().get(1).lines(), lines, "the panic's lines, all of them: no marker to cut at");
        assertFalse(lines.isEmpty());
    }

    @Test
    void aCrashSeenLiveAndInPstoreIsOneCrashWithBothWitnesses() throws Exception {
        List<ConsoleLine> recovered = RecoveredLines.ofRun(decode("ramoops-panic").dumps(), Set.of(),
                "rig-pstore-capture: ramoops sysrq panic");
        Timeline timeline = new Timeline();
        // The serial console saw the same messages live, with their printk times.
        for (ConsoleLine line : recovered) {
            timeline.add(new ConsoleLine(READ_AT.minusSeconds(100), ConsoleLine.Source.SERIAL, line.text(),
                    line.level(), null, line.kernelTimeMicros()));
        }
        int captureEnd = timeline.size();

        assertEquals(0, timeline.addRecovered(recovered));
        List<Crash> crashes = MergedAnalysis.crashesAfter(timeline.entries(), captureEnd, 0);

        assertEquals(1, crashes.size());
        assertFalse(MergedAnalysis.onlyRecovered(timeline.entries(), crashes.get(0)));
        assertEquals(Set.of(ConsoleLine.Source.SERIAL, ConsoleLine.Source.PSTORE),
                timeline.entries().get(crashes.get(0).firstLine() - 1).seenOn());
    }
}
