package org.kernelrig.pstore;

import java.util.List;

import org.kernelrig.console.ConsoleLine;

/**
 * Everything decoded from one reading of a board's pstore: the dumps put
 * back together, the records kept raw, and what looked wrong.
 *
 * @param dumps     the dumps, oldest first where their time is known
 * @param undecoded the records kept raw, with the reason
 * @param warnings  notes for the report: records cut at the size bound, records without a header, ...
 */
public record PstoreContents(List<PstoreDump> dumps, List<UndecodedRecord> undecoded, List<String> warnings) {

    public PstoreContents {
        dumps = List.copyOf(dumps);
        undecoded = List.copyOf(undecoded);
        warnings = List.copyOf(warnings);
    }

    public static PstoreContents empty() {
        return new PstoreContents(List.of(), List.of(), List.of());
    }

    /** The lines of every dump, dump after dump. */
    public List<ConsoleLine> lines() {
        return dumps.stream().flatMap(d -> d.lines().stream()).toList();
    }

    public boolean isEmpty() {
        return dumps.isEmpty() && undecoded.isEmpty();
    }
}
