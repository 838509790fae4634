package org.kernelrig.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TerminalSanitizerTest {

    private final TerminalSanitizer sanitizer = new TerminalSanitizer();

    private String show(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(sanitizer.sanitize(bytes, bytes.length), StandardCharsets.UTF_8);
    }

    @Test
    void coloursAndLineEndsPassTitlesClipboardAndBellsDoNot() {
        assertEquals("\u001b[0;32m  OK  \u001b[0m Started\r\nlogin: ",
                show("\u001b[0;32m  OK  \u001b[0m Started\u0007\r\n\u001b]52;c;ZXZpbA==\u0007login: "));
        assertEquals("after", show("\u001bP+q544e\u001b\\\u001b(Bafter"));
    }

    @Test
    void sequencesSplitBetweenReadsAreFollowed() {
        assertEquals("a", show("a\u001b]0;ti"));
        assertEquals("b", show("tle\u0007b\u001b[1"), "an unfinished CSI waits for its end");
        assertEquals("\u001b[1mc", show("mc"));
    }
}
