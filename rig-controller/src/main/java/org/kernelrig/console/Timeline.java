package org.kernelrig.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged console of one run: lines from every witness in order of
 * arrival, each kernel message once. A line that a second witness also
 * delivers (same text, and the same kernel timestamp where both carry one,
 * within a window of arrival) is marked as seen on both instead of being
 * added again. New entries go to the subscribers as they are made, so the
 * crash analyzer reads each message once, from whichever witness was first.
 */
public final class Timeline {

    /** The most entries kept; a board flooding its console cannot exhaust memory. */
    public static final int MAX_ENTRIES = 500_000;
    private static final Duration MATCH_WINDOW = Duration.ofSeconds(30);
    private static final Pattern PRINTK_TIME = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{1,9})\\]\\s?");
    private static final Pattern CALLER_ID = Pattern.compile("^\\[\\s*[TC]\\d+\\]\\s?");

    private final List<Entry> entries = new ArrayList<>();
    private final Deque<Entry> recent = new ArrayDeque<>();
    private final List<Consumer<TimelineEntry>> subscribers = new ArrayList<>();
    private int dropped;

    /** A mutable entry while the timeline is being built. */
    private static final class Entry {
        final int index;
        final Instant arrival;
        final String text;
        final Long kernelTime;
        final Integer level;
        final boolean gap;
        final EnumSet<ConsoleLine.Source> seenOn;

        Entry(int index, Instant arrival, String text, Long kernelTime, Integer level, boolean gap,
                ConsoleLine.Source source) {
            this.index = index;
            this.arrival = arrival;
            this.text = text;
            this.kernelTime = kernelTime;
            this.level = level;
            this.gap = gap;
            this.seenOn = EnumSet.of(source);
        }

        TimelineEntry snapshot() {
            return new TimelineEntry(index, arrival, text, seenOn, kernelTime, level, gap);
        }
    }

    public synchronized void subscribe(Consumer<TimelineEntry> subscriber) {
        subscribers.add(subscriber);
    }

    /** Adds a line from a witness, or marks the existing entry of the same message as seen by it too. */
    public void add(ConsoleLine line) {
        Message message = Message.of(line);
        String text = message.text();
        Long kernelTime = message.kernelTime();
        TimelineEntry created;
        synchronized (this) {
            forgetOld(line.arrival());
            for (Entry candidate : recent) {
                if (!candidate.gap && !candidate.seenOn.contains(line.source()) && candidate.text.equals(text)
                        && (candidate.kernelTime == null || kernelTime == null || candidate.kernelTime.equals(kernelTime))) {
                    candidate.seenOn.add(line.source());
                    return;
                }
            }
            if (entries.size() >= MAX_ENTRIES) {
                dropped++;
                return;
            }
            Entry entry = new Entry(entries.size() + 1, line.arrival(), text, kernelTime, line.level(), false,
                    line.source());
            entries.add(entry);
            recent.addLast(entry);
            created = entry.snapshot();
        }
        publish(created);
    }

    /**
     * Merges lines recovered after a reboot (pstore records): a message the
     * live witnesses delivered too (same text and kernel timestamp) is marked
     * as seen by the recovered witness as well; the others are appended in
     * their order, after everything seen live, so that the analyzer reads them
     * as one block. Returns how many were appended.
     */
    public int addRecovered(List<ConsoleLine> lines) {
        List<TimelineEntry> created = new ArrayList<>();
        synchronized (this) {
            java.util.Map<String, Entry> live = new java.util.HashMap<>();
            for (Entry entry : entries) {
                if (!entry.gap && entry.kernelTime != null) {
                    live.putIfAbsent(entry.kernelTime + " " + entry.text, entry);
                }
            }
            for (ConsoleLine line : lines) {
                Message message = Message.of(line);
                String text = message.text();
                Long kernelTime = message.kernelTime();
                Entry seen = kernelTime == null ? null : live.get(kernelTime + " " + text);
                if (seen != null) {
                    seen.seenOn.add(line.source());
                    continue;
                }
                if (entries.size() >= MAX_ENTRIES) {
                    dropped++;
                    continue;
                }
                Entry entry = new Entry(entries.size() + 1, line.arrival(), text, kernelTime, line.level(), false,
                        line.source());
                entries.add(entry);
                created.add(entry.snapshot());
            }
        }
        created.forEach(this::publish);
        return created.size();
    }

    /** Records messages known to be lost by a witness, e.g. a gap in netconsole's sequence numbers. */
    public void addGap(Instant when, ConsoleLine.Source source, String description) {
        TimelineEntry created;
        synchronized (this) {
            Entry entry = new Entry(entries.size() + 1, when, description, null, null, true, source);
            entries.add(entry);
            created = entry.snapshot();
        }
        publish(created);
    }

    private void publish(TimelineEntry entry) {
        List<Consumer<TimelineEntry>> targets;
        synchronized (this) {
            targets = List.copyOf(subscribers);
        }
        for (Consumer<TimelineEntry> subscriber : targets) {
            subscriber.accept(entry);
        }
    }

    private void forgetOld(Instant now) {
        Instant horizon = now.minus(MATCH_WINDOW);
        while (!recent.isEmpty() && (recent.peekFirst().arrival.isBefore(horizon) || recent.size() > 20_000)) {
            recent.removeFirst();
        }
    }

    /** The entries so far, each with the witnesses that saw it. */
    public synchronized List<TimelineEntry> entries() {
        return entries.stream().map(Entry::snapshot).toList();
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Lines not kept because the timeline was full. */
    public synchronized int dropped() {
        return dropped;
    }

    /** A line's message as the timeline keeps it: without its printk time and caller id, the time known apart. */
    private record Message(String text, Long kernelTime) {
        static Message of(ConsoleLine line) {
            String text = line.text();
            Long kernelTime = line.kernelTimeMicros();
            Matcher time = PRINTK_TIME.matcher(text);
            if (time.find()) {
                kernelTime = kernelTime != null ? kernelTime : micros(time.group(1), time.group(2));
                text = text.substring(time.end());
            }
            return new Message(CALLER_ID.matcher(text).replaceFirst("").stripTrailing(), kernelTime);
        }
    }

    private static long micros(String seconds, String fraction) {
        String padded = (fraction + "000000").substring(0, 6);
        return Long.parseLong(seconds) * 1_000_000L + Long.parseLong(padded);
    }
}
