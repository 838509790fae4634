package org.kernelrig.netconsole;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The arrival time written before each line of a patient's log:
 * {@code 2026-11-24T08:00:29.123456Z } (UTC, microseconds, then one space).
 * The text up to the second is cached, so formatting makes no garbage.
 */
final class ArrivalStamp {

    /** The length of a stamp including its trailing space. */
    static final int LENGTH = 28;

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] stamp = new byte[LENGTH];

    /** The stamp for a time in microseconds since the epoch; the array is reused by the next call. */
    byte[] format(long epochMicros) {
        long second = Math.floorDiv(epochMicros, 1_000_000L);
        if (second != cachedSecond) {
            String text = SECONDS.format(Instant.ofEpochSecond(second));
            if (text.length() != 20) {
                // Years beyond 9999 do not fit the fixed layout; they do not happen on a working clock.
                text = SECONDS.format(Instant.EPOCH);
            }
            for (int i = 0; i < 20; i++) {
                stamp[i] = (byte) text.charAt(i);
            }
            cachedSecond = second;
        }
        int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
        for (int i = 25; i >= 20; i--) {
            stamp[i] = (byte) ('0' + micros % 10);
            micros /= 10;
        }
        stamp[26] = 'Z';
        stamp[27] = ' ';
        return stamp;
    }

    static Instant toInstant(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000);
    }
}
