package org.kernelrig.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.kernelrig.console.ConsoleLine.Source;

class TimelineTest {

    static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    static ConsoleLine net(int ms, String text, long kernelMicros) {
        return new ConsoleLine(T0.plusMillis(ms), Source.NETCONSOLE, text, 4, null, kernelMicros);
    }

    static ConsoleLine serial(int ms, String text) {
        return ConsoleLine.plain(T0.plusMillis(ms), Source.SERIAL, text);
    }

    @Test
    void aLineOnBothWitnessesAppearsOnceMarkedWithBoth() {
        Timeline timeline = new Timeline();
        List<TimelineEntry> published = new ArrayList<>();
        timeline.subscribe(published::add);

        timeline.add(net(0, "sysrq: Trigger a crash", 52_123_456L));
        timeline.add(net(1, "Kernel panic - not syncing: sysrq triggered crash", 52_123_999L));
        timeline.add(serial(40, "[   52.123456] sysrq: Trigger a crash"));
        timeline.add(serial(41, "[   52.123999] Kernel panic - not syncing: sysrq triggered crash"));

        List<TimelineEntry> entries = timeline.entries();
        assertEquals(2, entries.size());
        assertEquals(Set.of(Source.NETCONSOLE, Source.SERIAL), entries.get(0).seenOn());
        assertEquals("NS-", entries.get(1).witnesses());
        assertEquals(2, published.size(), "the analyzer sees each message once");
    }

    @Test
    void aLineOnlyOnSerialIsMarkedSoInItsPlace() {
        Timeline timeline = new Timeline();

        timeline.add(net(0, "BUG: kernel NULL pointer dereference, address: 0000000000000000", 10_000_000L));
        timeline.add(serial(30, "[   10.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000"));
        timeline.add(serial(31, "[   10.000100] #PF: supervisor read access in kernel mode"));

        assertTrue(timeline.entries().get(1).seenOnly(Source.SERIAL));
        assertEquals("#PF: supervisor read access in kernel mode", timeline.entries().get(1).text());
    }

    @Test
    void theSameTextAtAnotherKernelTimeIsAnotherMessage() {
        Timeline timeline = new Timeline();

        timeline.add(net(0, "e1000: eth0 NIC Link is Up", 3_000_000L));
        timeline.add(net(5, "e1000: eth0 NIC Link is Up", 9_000_000L));
        timeline.add(serial(10, "[    9.000000] e1000: eth0 NIC Link is Up"));

        assertEquals(2, timeline.size());
        assertEquals("N--", timeline.entries().get(0).witnesses());
        assertEquals("NS-", timeline.entries().get(1).witnesses());
    }

    @Test
    void repeatedLinesFromOneWitnessAreAllKept() {
        Timeline timeline = new Timeline();

        timeline.add(serial(0, "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [cat:160]"));
        timeline.add(serial(1, "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [cat:160]"));

        assertEquals(2, timeline.size());
    }

    @Test
    void gapsStandWhereTheyHappened() {
        Timeline timeline = new Timeline();

        timeline.add(net(0, "one", 1L));
        timeline.addGap(T0.plusMillis(1), Source.NETCONSOLE, "netconsole lost messages 12-15");
        timeline.add(net(2, "two", 2L));

        assertTrue(timeline.entries().get(1).gap());
        assertEquals("two", timeline.entries().get(2).text());
    }

    @Test
    void linesRecoveredAfterTheRebootMarkWhatWasSeenLiveAndAppendTheRestInOrder() {
        Timeline timeline = new Timeline();
        List<TimelineEntry> published = new ArrayList<>();
        timeline.subscribe(published::add);
        timeline.add(net(0, "sysrq: Trigger a crash", 41_000_100));
        timeline.add(net(5, "Kernel panic - not syncing: sysrq triggered crash", 41_000_900));
        Instant later = T0.plusSeconds(120);

        int appended = timeline.addRecovered(List.of(
                new ConsoleLine(later, Source.PSTORE, "sysrq: Trigger a crash", 6, null, 41_000_100L),
                new ConsoleLine(later, Source.PSTORE, "Kernel panic - not syncing: sysrq triggered crash", 0, null,
                        41_000_900L),
                new ConsoleLine(later, Source.PSTORE, "CPU: 0 PID: 210 Comm: sh Not tainted 6.1.0-56-amd64 #1", 4,
                        null, 41_000_950L),
                new ConsoleLine(later, Source.PSTORE, "Kernel panic - not syncing: sysrq triggered crash", 0, null,
                        52_000_000L)));

        assertEquals(2, appended);
        List<TimelineEntry> entries = timeline.entries();
        assertEquals(4, entries.size());
        assertEquals(Set.of(Source.NETCONSOLE, Source.PSTORE), entries.get(0).seenOn());
        assertEquals(Set.of(Source.NETCONSOLE, Source.PSTORE), entries.get(1).seenOn());
        assertTrue(entries.get(2).seenOnly(Source.PSTORE));
        assertEquals("CPU: 0 PID: 210 Comm: sh Not tainted 6.1.0-56-amd64 #1", entries.get(2).text());
        assertEquals(52_000_000L, entries.get(3).kernelTimeMicros(), "same text, another time: another message");
        assertEquals(4, published.size(), "the analyzer is told of the appended lines");
    }
}
