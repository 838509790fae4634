package org.kernelrig.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.kernelrig.console.ConsoleLine;
import org.kernelrig.pstore.PstoreDump;

/**
 * Picks, among the dumps read from pstore after a reboot, the lines that
 * belong to this run: dumps made of records that were not on the board
 * before the trigger, from the run's start marker on where the dump still
 * holds it (a dump keeps the end of the log, which may begin long before).
 */
final class RecoveredLines {

    private RecoveredLines() {
    }

    static List<ConsoleLine> ofRun(List<PstoreDump> dumps, Set<String> earlierRecords, String startMarker) {
        List<ConsoleLine> lines = new ArrayList<>();
        for (PstoreDump dump : dumps) {
            if (dump.records().stream().anyMatch(earlierRecords::contains)) {
                continue;
            }
            List<ConsoleLine> own = dump.lines();
            int from = 0;
            for (int i = own.size() - 1; i >= 0; i--) {
                if (own.get(i).text().contains(startMarker)) {
                    from = i;
                    break;
                }
            }
            lines.addAll(own.subList(from, own.size()));
        }
        return lines;
    }
}
