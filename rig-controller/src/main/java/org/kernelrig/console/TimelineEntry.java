package org.kernelrig.console;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One line of the merged console: the kernel's message once, with every
 * witness that saw it. A gap entry marks messages known to be lost.
 *
 * @param index            the entry's position in the timeline, from 1
 * @param arrival          when the first witness delivered it
 * @param text             the message without console prefixes
 * @param kernelTimeMicros the kernel's timestamp, when a witness carried it
 * @param gap              true for a note of lost messages rather than a message
 */
public record TimelineEntry(int index, Instant arrival, String text, Set<ConsoleLine.Source> seenOn,
        Long kernelTimeMicros, Integer level, boolean gap) {

    public TimelineEntry {
        seenOn = seenOn.isEmpty() ? EnumSet.noneOf(ConsoleLine.Source.class) : EnumSet.copyOf(seenOn);
    }

    public boolean seenOnly(ConsoleLine.Source source) {
        return seenOn.size() == 1 && seenOn.contains(source);
    }

    /** {@code N S P} letters of the witnesses, {@code -} for each that did not see it: {@code NS-}. */
    public String witnesses() {
        return (seenOn.contains(ConsoleLine.Source.NETCONSOLE) ? "N" : "-")
                + (seenOn.contains(ConsoleLine.Source.SERIAL) ? "S" : "-")
                + (seenOn.contains(ConsoleLine.Source.PSTORE) ? "P" : "-");
    }
}
