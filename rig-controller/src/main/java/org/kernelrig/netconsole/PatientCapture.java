package org.kernelrig.netconsole;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

import org.kernelrig.console.ConsoleLine;

/** The capture of one patient (one sender), as the writer keeps it: its log, partial lines, fragments, sequence. */
final class PatientCapture {

    private static final int MAX_LINE = 8192;
    private static final int MAX_PENDING_FRAGMENTED = 16;
    private static final long FRAGMENT_AGE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int MAX_GAP_RANGES = 1000;

    final InetAddress address;
    final String name;
    final Path log;
    final PlainLineAssembler plain = new PlainLineAssembler(MAX_LINE);
    final FragmentAssembler fragments = new FragmentAssembler(MAX_PENDING_FRAGMENTED, FRAGMENT_AGE_NANOS);
    final SequenceTracker sequence = new SequenceTracker(MAX_GAP_RANGES);
    final ByteSink disk = new ByteSink(16 * 1024);
    private final ArrayDeque<ConsoleLine> history = new ArrayDeque<>();
    private final int historyLines;

    /** Whether the log's last line is complete, so the next byte starts a line with its arrival time. */
    boolean atLineStart = true;
    boolean dirty;
    long datagrams;
    long bytes;
    long oversized;
    long lines;
    long malformed;

    PatientCapture(InetAddress address, Path log, int historyLines) {
        this.address = address;
        this.name = PatientAddress.text(address);
        this.log = log;
        this.historyLines = historyLines;
    }

    void remember(ConsoleLine line) {
        lines++;
        if (historyLines == 0) {
            return;
        }
        if (history.size() == historyLines) {
            history.removeFirst();
        }
        history.addLast(line);
    }

    boolean recentlySaid(String text) {
        for (ConsoleLine line : history) {
            if (line.text().contains(text)) {
                return true;
            }
        }
        return false;
    }

    PatientStatistics statistics() {
        List<SequenceGap> gaps = sequence.gaps();
        return new PatientStatistics(name, log, datagrams, bytes, oversized, lines, malformed + fragments.malformed(),
                fragments.expired(), fragments.pending(), sequence.missing(), sequence.late(), sequence.restarts(),
                sequence.gapsTotal(), List.copyOf(gaps));
    }
}
