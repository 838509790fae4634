package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.kernelrig.netconsole.ExtendedDatagram.Header;

class FragmentAssemblerTest {

    private static final long SECOND = 1_000_000_000L;

    private final FragmentAssembler assembler = new FragmentAssembler(4, 10 * SECOND);

    private static Header fragment(long sequence, int offset, int total, String body) {
        return assertInstanceOf(Header.class, ExtendedRecordDecoder.decode(
                ("6," + sequence + ",1758426,-,ncfrag=" + offset + "/" + total + ";" + body)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] body) {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void joinsFragmentsInOrder() {
        assertNull(assembler.add(fragment(416, 0, 31, "the first chunk,"), 0));
        assertEquals("the first chunk, the 2nd chunk.", text(assembler.add(fragment(416, 16, 31, " the 2nd chunk."), 0)));
        assertEquals(0, assembler.pending());
    }

    @Test
    void joinsFragmentsOutOfOrderAndKeepsMessagesApart() {
        assertNull(assembler.add(fragment(2, 8, 12, "ijkl"), 0));
        assertNull(assembler.add(fragment(1, 3, 6, "def"), 0));
        assertNull(assembler.add(fragment(2, 0, 12, "abcd"), 0));
        assertEquals("abcdef", text(assembler.add(fragment(1, 0, 6, "abc"), 0)));
        assertEquals("abcdefghijkl", text(assembler.add(fragment(2, 4, 12, "efgh"), 0)));
        assertEquals(0, assembler.malformed());
    }

    @Test
    void overlapsDuplicatesAndChangingTotalsAreMalformedAndIgnored() {
        assertNull(assembler.add(fragment(7, 0, 6, "abc"), 0));
        assertNull(assembler.add(fragment(7, 0, 6, "abc"), 0));
        assertNull(assembler.add(fragment(7, 2, 6, "XYZ"), 0));
        assertNull(assembler.add(fragment(7, 3, 9, "def"), 0));
        assertEquals(3, assembler.malformed());
        assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8), assembler.add(fragment(7, 3, 6, "def"), 0));
    }

    @Test
    void messagesThatNeverCompleteAreBoundedInNumberAndAge() {
        for (int sequence = 0; sequence < 1000; sequence++) {
            assertNull(assembler.add(fragment(sequence, 0, 100, "a piece of a message that never completes"), 0));
        }
        assertEquals(4, assembler.pending());
        assertEquals(996, assembler.expired());

        assembler.expire(11 * SECOND);
        assertEquals(0, assembler.pending());
        assertEquals(1000, assembler.expired());
    }

    @Test
    void aLateFragmentOfAnExpiredMessageStartsItAgainRatherThanCompletingIt() {
        assertNull(assembler.add(fragment(5, 0, 6, "abc"), 0));
        assertNull(assembler.add(fragment(5, 3, 6, "def"), 20 * SECOND));
        assertEquals(1, assembler.expired());
        assertEquals(1, assembler.pending());
    }
}
