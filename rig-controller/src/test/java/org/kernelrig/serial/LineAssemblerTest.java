package org.kernelrig.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineAssemblerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusMillis(5);
    private static final Instant T2 = T0.plusMillis(10);

    private final LineAssembler assembler = new LineAssembler();

    private List<String> feed(String text, Instant at) {
        return texts(assembler.feed(text.getBytes(StandardCharsets.UTF_8), at));
    }

    private static List<String> texts(List<LineAssembler.Line> lines) {
        List<String> texts = new ArrayList<>();
        lines.forEach(l -> texts.add(l.text()));
        return texts;
    }

    @Test
    void everyKindOfLineEndEndsOneLine() {
        assertEquals(List.of("unix", "kernel console", "lone cr", "doubled cr"),
                feed("unix\nkernel console\r\nlone cr\rdoubled cr\r\r\nnext", T0));
        assertTrue(assembler.hasPartialLine());
        assertEquals("next", assembler.flush().orElseThrow().text());
        assertFalse(assembler.hasPartialLine());
    }

    @Test
    void aCarriageReturnAtTheEndOfOneReadAndItsNewlineInTheNextAreOneEnding() {
        assertEquals(List.of(), feed("[    1.000000] Booting\r", T0));
        assertEquals(List.of("[    1.000000] Booting"), feed("\n[    1.1", T1));
        assertEquals(List.of("[    1.1 next"), feed(" next\r\n", T2));
    }

    @Test
    void aLineCarriesTheArrivalOfItsFirstByte() {
        assembler.feed("first half ".getBytes(StandardCharsets.US_ASCII), T0);
        List<LineAssembler.Line> lines = assembler.feed("second half\r\nnew\n".getBytes(StandardCharsets.US_ASCII), T1);
        assertEquals(List.of(new LineAssembler.Line(T0, "first half second half"), new LineAssembler.Line(T1, "new")),
                lines);
    }

    @Test
    void ansiSequencesAndControlCharactersAreDroppedEvenWhenSplitBetweenReads() {
        assertEquals(List.of("Welcome to Debian"), feed("\u001b[1;32mWelcome\u001b[0m to \u001b[", T0).isEmpty()
                ? feed("2KDebian\u0007\r\n", T1) : List.of("split sequence not held"));
        assertEquals(List.of("title gone", "charset gone", "tab\tkept"),
                feed("\u001b]0;root@board: ~\u0007title gone\n\u001b(Bcharset gone\u0008\n\u0000tab\tkept\n", T2));
    }

    @Test
    void aBrokenEscapeSequenceGivesTheTextBack() {
        assertEquals(List.of("esc", "after"), feed("esc\u001b[12\nafter\n", T0));
    }

    @Test
    void anOverlongLineIsCutWithoutLosingBytesOrSplittingACharacter() {
        LineAssembler small = new LineAssembler(16);
        String text = "0123456789abcdeé" + "rest"; // é (2 bytes) straddles byte 16
        List<LineAssembler.Line> lines = small.feed((text + "\n").getBytes(StandardCharsets.UTF_8), T0);
        assertEquals(List.of("0123456789abcde", "érest"), texts(lines));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        List<LineAssembler.Line> lines = assembler.feed(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xc3, '\n'}, T0);
        assertEquals(List.of("ok\ufffd\ufffd"), texts(lines));
    }

    @Test
    void aMultiByteCharacterSplitBetweenReadsSurvives() {
        byte[] bytes = "für\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), texts(assembler.feed(bytes, 0, 2, T0)));
        assertEquals(List.of("für"), texts(assembler.feed(bytes, 2, bytes.length - 2, T1)));
    }

    @Test
    void flushOfNothingIsEmpty() {
        assertTrue(assembler.flush().isEmpty());
        feed("a\r", T0);
        assertEquals("a", assembler.flush().orElseThrow().text());
        assertTrue(assembler.flush().isEmpty());
    }
}
