package org.kernelrig.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class TelnetFilterTest {

    private static final int IAC = 255, WILL = 251, WONT = 252, DO = 253, DONT = 254, SB = 250, SE = 240;
    private static final int ECHO = 1, SGA = 3, TTYPE = 24, COM_PORT = 44;

    private final TelnetFilter filter = new TelnetFilter();
    private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

    private byte[] run(int... input) {
        byte[] bytes = new byte[input.length];
        for (int i = 0; i < input.length; i++) {
            bytes[i] = (byte) input[i];
        }
        int n = filter.filter(bytes, bytes.length, replies);
        return Arrays.copyOf(bytes, n);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void negotiationIsTakenOutAndAnswered() {
        byte[] data = run(IAC, WILL, ECHO, IAC, WILL, SGA, 'o', 'k', IAC, DO, COM_PORT, IAC, DO, TTYPE, '\n');
        assertArrayEquals("ok\n".getBytes(), data);
        assertArrayEquals(bytes(IAC, DONT, ECHO, IAC, DO, SGA, IAC, WONT, COM_PORT, IAC, WONT, TTYPE),
                replies.toByteArray());
    }

    @Test
    void anOptionAlreadyAgreedIsNotAnsweredAgain() {
        run(IAC, WILL, SGA);
        run(IAC, WILL, SGA);
        assertArrayEquals(bytes(IAC, DO, SGA), replies.toByteArray());
    }

    @Test
    void subnegotiationIsSkippedAndADoubledIacIsOneDataByte() {
        byte[] data = run('a', IAC, SB, COM_PORT, 101, IAC, IAC, 7, IAC, SE, 'b', IAC, IAC, 'c');
        assertArrayEquals(bytes('a', 'b', 0xff, 'c'), data);
        assertEquals(0, replies.size());
    }

    @Test
    void commandsSplitBetweenReadsAreFollowed() {
        assertArrayEquals("x".getBytes(), run('x', IAC));
        assertArrayEquals(new byte[0], run(WILL));
        assertArrayEquals("y".getBytes(), run(ECHO, 'y', IAC, SB));
        assertArrayEquals("z".getBytes(), run(1, 2, IAC, SE, 'z'));
        assertArrayEquals(bytes(IAC, DONT, ECHO), replies.toByteArray());
    }

    @Test
    void theNulAfterABareCarriageReturnIsDroppedUnlessBinary() {
        assertArrayEquals(bytes('a', '\r', 'b', 0), run('a', '\r', 0, 'b', 0));
        run(IAC, WILL, 0);
        assertArrayEquals(bytes('\r', 0), run('\r', 0));
    }
}
