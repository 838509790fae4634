package org.kernelrig.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.kernelrig.LabException;
import org.kernelrig.board.BootState;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.Timeline;
import org.kernelrig.inventory.Board;
import org.kernelrig.patient.Patient;
import org.kernelrig.pstore.PstoreCollection;
import org.kernelrig.pstore.PstoreCollector;
import org.kernelrig.pstore.PstoreFacts;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;

/**
 * The third witness: the crash records the kernel leaves in pstore, read
 * once the board is back. Records of an earlier crash are set aside before
 * the trigger, so that they are not taken for this run's.
 */
final class PstoreWitness {

    private final Board board;
    private final ReportFolder folder;
    private final Timeline timeline;
    private final RunLog log;
    private final Consumer<String> warn;
    private Set<String> earlierRecords = Set.of();
    private RunReport.WitnessStats stats = RunReport.WitnessStats.disabled("not collected");

    PstoreWitness(Board board, ReportFolder folder, Timeline timeline, RunLog log, Consumer<String> warn) {
        this.board = board;
        this.folder = folder;
        this.timeline = timeline;
        this.log = log;
        this.warn = warn;
    }

    /** Saves apart (and deletes, as the board's file says) what pstore holds before the trigger. */
    void setAsideEarlierRecords(Patient patient, BootState boot) throws LabException {
        if (!board.pstore().collect()) {
            return;
        }
        PstoreCollector store = new PstoreCollector(patient);
        PstoreFacts before = store.facts();
        log.write("pstore: " + (before.readable() ? "backend " + (before.backend() == null ? "none" : before.backend())
                + ", " + before.records().size() + " record(s) before the trigger" : "not readable")
                + "; the kernel " + (!before.rebootsAfterPanic() ? "does not reboot after a panic"
                        : before.panicTimeout() < 0 ? "reboots at once after a panic"
                        : "reboots " + before.panicTimeout() + " s after a panic")
                + (boot.watchdog() ? "; a watchdog runs" : ""));
        if (before.records().isEmpty()) {
            return;
        }
        PstoreCollection earlier = store.collect(folder.file("before-trigger"), board.pstore().delete());
        earlierRecords = before.records().stream().map(PstoreFacts.ListedRecord::fileName)
                .collect(Collectors.toSet());
        warn.accept(before.records().size() + " pstore record(s) of an earlier crash were on the board: saved in "
                + "before-trigger/pstore" + (earlier.deleted().isEmpty() ? "" : " and deleted") + " ("
                + earlier.summary() + ")");
    }

    /** Why pstore is not read after this run's recovery, or null when it is. */
    String reasonToSkip(RunReport.Recovery recovery) {
        if (!board.pstore().collect()) {
            stats = RunReport.WitnessStats.disabled("turned off in the board's file");
        } else if (recovery == null || recovery.method().equals("none")) {
            stats = RunReport.WitnessStats.disabled("the board did not reboot");
        } else {
            return null;
        }
        return stats.note();
    }

    /** What pstore held of this run, saved raw, decoded and merged into the timeline. */
    record Merged(int records, int lines, int onlyInPstore) {

        /** @param alone the crashes of this run that pstore alone saw */
        String describe(long alone) {
            return records + " record(s), " + lines + " line(s) of this run, " + onlyInPstore
                    + " seen by no other witness" + (alone == 0 ? "" : "; pstore was the only witness of " + alone
                            + " crash" + (alone == 1 ? "" : "es"));
        }
    }

    Merged collect(Patient patient, String startMarker) throws LabException {
        PstoreCollection store = new PstoreCollector(patient).collect(folder.directory(), board.pstore().delete());
        store.warnings().forEach(warn);
        log.write(store.summary());
        List<ConsoleLine> lines = RecoveredLines.ofRun(store.dumps(), earlierRecords, startMarker);
        int onlyInPstore = timeline.addRecovered(lines);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("records", (long) store.records().size());
        counters.put("saved", (long) store.saved().size());
        counters.put("deleted", (long) store.deleted().size());
        counters.put("undecoded", (long) store.undecoded().size());
        counters.put("only in pstore", (long) onlyInPstore);
        stats = new RunReport.WitnessStats(store.available(), lines.size(), counters, store.summary());
        return new Merged(store.records().size(), lines.size(), onlyInPstore);
    }

    RunReport.WitnessStats stats() {
        return stats;
    }
}
