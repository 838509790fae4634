package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DatagramRingTest {

    private static final int SMALLEST = 4 * (24 + DatagramRing.MAX_KEPT);

    private static boolean put(DatagramRing ring, String text, int sender, long micros) {
        ByteBuffer into = ring.claim();
        if (into == null) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        into.put(bytes);
        ring.commit(sender, bytes.length, micros);
        return true;
    }

    @Test
    void datagramsComeOutInOrderAcrossManyWrapArounds() {
        DatagramRing ring = new DatagramRing(SMALLEST);
        DatagramRing.Record record = new DatagramRing.Record();
        long next = 0;
        for (long i = 0; i < 100_000; i++) {
            String text = "datagram " + i + " " + "x".repeat((int) (i % 2000));
            assertTrue(put(ring, text, (int) (i % 7), i * 10));
            if (i % 3 == 2) {
                while (ring.take(record)) {
                    assertEquals("datagram " + next, new String(record.data, 0, record.length, StandardCharsets.UTF_8)
                            .split(" x", 2)[0].strip());
                    assertEquals(next % 7, record.sender);
                    assertEquals(next * 10, record.arrivalMicros);
                    next++;
                }
                ring.release();
            }
        }
        while (ring.take(record)) {
            next++;
        }
        assertEquals(100_000, next);
    }

    @Test
    void aFullRingRefusesInsteadOfGrowing() {
        DatagramRing ring = new DatagramRing(SMALLEST);
        int accepted = 0;
        while (put(ring, "y".repeat(2_000), 0, 0)) {
            accepted++;
        }
        assertTrue(accepted >= 1 && accepted < 5, "accepted " + accepted);
        assertNull(ring.claim());

        DatagramRing.Record record = new DatagramRing.Record();
        for (int i = 0; i < accepted; i++) {
            assertTrue(ring.take(record));
            assertEquals(2_000, record.length);
            assertEquals(2_000, record.size);
        }
        assertFalse(ring.take(record));
        assertTrue(ring.isEmpty());
        ring.release();
        assertNotNull(ring.claim());
    }
}
