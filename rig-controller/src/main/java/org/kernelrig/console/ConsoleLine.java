package org.kernelrig.console;

import java.time.Instant;

/**
 * One line the kernel printed, as one witness received it.
 *
 * @param arrival          when this machine received it
 * @param source           which witness
 * @param text             the message, without the line ending and any netconsole header
 * @param level            the kernel log level 0..7, where the format carries it, else null
 * @param sequence         the kernel's record sequence number (extended netconsole), else null
 * @param kernelTimeMicros the kernel's timestamp in microseconds since boot, where known, else null
 */
public record ConsoleLine(Instant arrival, Source source, String text, Integer level, Long sequence,
        Long kernelTimeMicros) {

    /** The witnesses of a kernel's output. */
    public enum Source { NETCONSOLE, SERIAL, PSTORE }

    public static ConsoleLine plain(Instant arrival, Source source, String text) {
        return new ConsoleLine(arrival, source, text, null, null, null);
    }
}
