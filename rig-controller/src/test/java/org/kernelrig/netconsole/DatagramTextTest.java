package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DatagramTextTest {

    @Test
    void plainAsciiIsKept() {
        assertEquals("[   1.0] hello\tworld\n", DatagramText.sanitize("[   1.0] hello\tworld\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void utf8IsKeptAndInvalidBytesAreReplaced() {
        byte[] bytes = {'o', 'k', ' ', (byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xff, (byte) 0xc3, '!'};
        assertEquals("ok \u00e9 \ufffd\ufffd!", DatagramText.sanitize(bytes));
    }

    @Test
    void terminalControlsAreEscapedTheKernelsWay() {
        assertEquals("\\x1b[2J\\x07\\x0d\\x00\\x7f\\x9b", DatagramText.sanitize(
                "\u001b[2J\u0007\r\u0000\u007f\u009b".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void randomBytesNeverFailAndNeverLeaveAControlCharacter() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            String text = DatagramText.sanitize(bytes);
            text.chars().forEach(c -> {
                if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
                    throw new AssertionError("control character " + c + " left in " + text);
                }
            });
        }
    }
}
