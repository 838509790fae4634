package org.kernelrig.netconsole;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The receiver's counters: every datagram the socket delivered is in exactly
 * one of received, dropped, foreign or overPatientLimit; those the kernel
 * dropped before the socket delivered them are in kernelDrops.
 *
 * @param received         datagrams accepted from patients and queued for the logs
 * @param kernelDrops      datagrams lost before rig could read them: the kernel dropped them because the socket's
 *                         receive buffer was full (every sender); -1 when this system cannot tell
 * @param dropped          datagrams from patients dropped because the memory bound was reached
 * @param foreign          datagrams from addresses not on the allow list, dropped unread
 * @param overPatientLimit datagrams from new senders beyond the limit on patients tracked, dropped
 * @param queuedBytes      bytes waiting between the receive thread and the writer now
 * @param echoSkippedLines lines not shown on the terminal because it fell behind (they are in the logs)
 * @param writeErrors      failed writes to a log (disk full, folder removed); the bytes of each are lost
 * @param subscriberErrors exceptions thrown by subscribers (caught; the capture went on)
 * @param patients         per patient, in order of first arrival
 */
public record ReceiverStatistics(long received, long kernelDrops, long dropped, long foreign, long overPatientLimit, long queuedBytes,
        long echoSkippedLines, long writeErrors, long subscriberErrors, List<PatientStatistics> patients) {

    public long malformed() {
        return patients.stream().mapToLong(PatientStatistics::malformed).sum();
    }

    public long missing() {
        return patients.stream().mapToLong(PatientStatistics::missing).sum();
    }

    /** What the kernel's drops say, for a person: "lost N before rig could read them (...)". */
    private static String describeKernelDrops(long drops) {
        if (drops < 0) {
            return "lost before rig could read them: unknown (no /proc/net/udp here)";
        }
        return "lost " + drops + " before rig could read them" + (drops == 0 ? ""
                : " (the socket's receive buffer was full)");
    }

    public long fragmentsExpired() {
        return patients.stream().mapToLong(PatientStatistics::fragmentsExpired).sum();
    }

    /** Datagrams the writer has handled so far. */
    public long written() {
        return patients.stream().mapToLong(PatientStatistics::datagrams).sum();
    }

    /** A few lines for a person: totals, then one line per patient with its gaps. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("received ").append(received).append(" datagrams, ").append(describeKernelDrops(kernelDrops))
                .append(", dropped ").append(dropped)
                .append(" (memory bound), foreign ").append(foreign).append(" (not allowed)");
        if (overPatientLimit > 0) {
            out.append(", over the patient limit ").append(overPatientLimit);
        }
        if (echoSkippedLines > 0) {
            out.append(", ").append(echoSkippedLines).append(" lines not echoed (terminal too slow; they are in the logs)");
        }
        if (writeErrors > 0) {
            out.append(", ").append(writeErrors).append(" FAILED WRITES to the logs");
        }
        for (PatientStatistics p : patients) {
            out.append(System.lineSeparator()).append("  ").append(p.patient()).append(": ").append(p.datagrams())
                    .append(" datagrams, ").append(p.lines()).append(" lines -> ").append(p.log());
            if (p.oversized() > 0) {
                out.append(", oversized ").append(p.oversized()).append(" (only their first ")
                        .append(ReceiveSocket.KEPT_BYTES).append(" bytes kept)");
            }
            if (p.malformed() > 0) {
                out.append(", malformed ").append(p.malformed());
            }
            if (p.fragmentsExpired() > 0 || p.fragmentsPending() > 0) {
                out.append(", fragmented messages incomplete ").append(p.fragmentsExpired()).append(" given up, ")
                        .append(p.fragmentsPending()).append(" waiting");
            }
            if (p.restarts() > 0) {
                out.append(", sequence restarted ").append(p.restarts()).append(" times");
            }
            if (p.missing() > 0 || p.gapsTotal() > 0) {
                out.append(", missing ").append(p.missing()).append(" records in ").append(p.gapsTotal())
                        .append(" gaps");
                if (p.late() > 0) {
                    out.append(" (").append(p.late()).append(" arrived late)");
                }
                List<SequenceGap> shown = p.gaps().size() > 20 ? p.gaps().subList(p.gaps().size() - 20, p.gaps().size())
                        : p.gaps();
                out.append(": ").append(shown.stream().map(SequenceGap::toString).collect(Collectors.joining(", ")));
                if (shown.size() < p.gapsTotal()) {
                    out.append(" (latest ").append(shown.size()).append(" shown)");
                }
            }
        }
        return out.toString();
    }
}
