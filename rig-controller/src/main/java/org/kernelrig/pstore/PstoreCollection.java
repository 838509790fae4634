package org.kernelrig.pstore;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.kernelrig.console.ConsoleLine;

/**
 * What one collection from a board's pstore found: the store's facts, each
 * record and what became of it (saved, deleted), the dumps decoded from them,
 * the records kept raw, and warnings for the report.
 *
 * @param board    the board's name
 * @param facts    the store as surveyed before reading
 * @param records  every record listed, in the order listed
 * @param contents the decoded dumps and the records kept undecoded
 * @param warnings what went wrong or looks wrong: store unavailable, a record not read, a deletion that failed
 * @param took     how long the collection took, survey to deletion
 */
public record PstoreCollection(String board, PstoreFacts facts, List<CollectedRecord> records,
        PstoreContents contents, List<String> warnings, Duration took) {

    public PstoreCollection {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }

    /** The store could be read (it may hold no record). */
    public boolean available() {
        return facts.readable();
    }

    public List<PstoreDump> dumps() {
        return contents.dumps();
    }

    public List<UndecodedRecord> undecoded() {
        return contents.undecoded();
    }

    /** Every decoded line, dump after dump, as {@link ConsoleLine.Source#PSTORE}. */
    public List<ConsoleLine> lines() {
        return contents.lines();
    }

    public List<CollectedRecord> saved() {
        return records.stream().filter(CollectedRecord::saved).toList();
    }

    public List<CollectedRecord> deleted() {
        return records.stream().filter(CollectedRecord::deleted).toList();
    }

    /**
     * One line for a report: {@code pstore (efi): 27 records, 27 saved, 27 deleted; Oops#1 from efi (13 records),
     * Panic#2 from efi (14 records); 1 undecoded}.
     */
    public String summary() {
        if (!available()) {
            return "pstore: not available" + (warnings.isEmpty() ? "" : " (" + warnings.get(0) + ")");
        }
        String backend = facts.backend() != null ? facts.backend() : "no backend";
        String dumps = dumps().isEmpty() ? "no dump"
                : dumps().stream().map(PstoreDump::describe).collect(Collectors.joining(", "));
        return "pstore (" + backend + "): " + records.size() + " records, " + saved().size() + " saved, "
                + deleted().size() + " deleted; " + dumps
                + (undecoded().isEmpty() ? "" : "; " + undecoded().size() + " undecoded");
    }
}
