package org.kernelrig.netconsole;

import java.nio.file.Path;
import java.util.List;

/**
 * What one patient sent.
 *
 * @param patient          its address
 * @param log              its log file
 * @param datagrams        datagrams accepted from it
 * @param bytes            their payload bytes (of the datagrams cut, the bytes kept)
 * @param oversized        datagrams larger than netconsole ever sends, of which only the beginning was kept
 * @param lines            console lines made from them
 * @param malformed        extended datagrams that could not be true (lying fragment headers)
 * @param fragmentsExpired fragmented messages given up incomplete (too old, or too many at once)
 * @param fragmentsPending fragmented messages still waiting for a piece
 * @param missing          extended records whose sequence number never arrived
 * @param late             records that arrived after a later one and filled a gap
 * @param restarts         times the sequence started over (the patient booted again)
 * @param gapsTotal        gaps seen, including any no longer listed
 * @param gaps             the gaps still listed (bounded), oldest first
 */
public record PatientStatistics(String patient, Path log, long datagrams, long bytes, long oversized, long lines, long malformed,
        long fragmentsExpired, int fragmentsPending, long missing, long late, long restarts, long gapsTotal,
        List<SequenceGap> gaps) {
}
