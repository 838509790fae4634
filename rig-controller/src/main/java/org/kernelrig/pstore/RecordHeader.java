package org.kernelrig.pstore;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line of a {@code dmesg} record: {@code Panic#1 Part1}. The
 * kernel writes the reason of the dump, how many dumps this boot made, and
 * which part of the log the record holds (Part1 is the newest end).
 *
 * @param reason {@code Panic}, {@code Oops}, {@code Emergency}, {@code Restart}, ... as the kernel wrote it
 * @param count  the dump's number in its boot, from 1
 * @param part   the part of the log, from 1 (the newest)
 */
public record RecordHeader(String reason, int count, int part) {

    private static final Pattern HEADER = Pattern.compile("([A-Za-z]{1,20})#(\\d{1,9}) Part(\\d{1,9})");

    /** The header in {@code line}, or empty when the line is not one. */
    public static Optional<RecordHeader> parse(String line) {
        Matcher m = HEADER.matcher(line.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new RecordHeader(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    /** {@code Panic#1 Part1}. */
    @Override
    public String toString() {
        return reason + "#" + count + " Part" + part;
    }
}
