package org.kernelrig.pstore;

import java.time.Instant;
import java.util.List;

import org.kernelrig.console.ConsoleLine;

/**
 * What the kernel kept of one dump of its log (a panic, an oops), put back
 * together from its records: the parts in order, oldest first, joined
 * without the lines two parts share.
 *
 * @param type          {@code dmesg} for a dump, {@code console} for the console's output
 * @param backend       {@code ramoops}, {@code efi}, ... as in the file names
 * @param reason        {@code Panic}, {@code Oops}, ... from the records' header, or null when they had none
 * @param count         the dump's number in its boot ({@code Panic#2}), or null
 * @param time          when the kernel made the dump, where the records say, else null
 * @param records       the file names it was made from, oldest part first
 * @param missingParts  part numbers below the highest one present that no record held; 1 means the newest end is lost
 * @param sharedLines   lines dropped because two neighbouring parts both held them
 * @param lines         the kernel's lines, oldest first, as {@link ConsoleLine.Source#PSTORE}
 */
public record PstoreDump(String type, String backend, String reason, Integer count, Instant time,
        List<String> records, List<Integer> missingParts, int sharedLines, List<ConsoleLine> lines) {

    public PstoreDump {
        records = List.copyOf(records);
        missingParts = List.copyOf(missingParts);
        lines = List.copyOf(lines);
    }

    /** {@code Panic#1 from ramoops (1 record)}, {@code console from ramoops (1 record)}. */
    public String describe() {
        String what = reason != null ? reason + (count != null ? "#" + count : "") : type;
        String parts = records.size() + (records.size() == 1 ? " record" : " records");
        String missing = missingParts.isEmpty() ? "" : ", parts " + missingParts + " missing";
        return what + " from " + (backend != null ? backend : "pstore") + " (" + parts + missing + ")";
    }

    /** True when Part1, the newest end of the log with the crash itself, is missing. */
    public boolean newestEndMissing() {
        return missingParts.contains(1);
    }
}
