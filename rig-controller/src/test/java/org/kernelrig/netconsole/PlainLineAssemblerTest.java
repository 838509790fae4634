package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlainLineAssemblerTest {

    private final PlainLineAssembler assembler = new PlainLineAssembler(20);
    private final List<String> lines = new ArrayList<>();

    @Test
    void cutsDatagramsIntoLinesAndJoinsALineSentInPieces() {
        assembler.accept("first\nsecond\nthi", 0, lines::add);
        assertEquals(List.of("first", "second"), lines);
        assertTrue(assembler.hasPartial());
        assembler.accept("rd, continued", 1, lines::add);
        assembler.accept("\n", 2, lines::add);
        assertEquals(List.of("first", "second", "third, continued"), lines);
        assertFalse(assembler.hasPartial());
    }

    @Test
    void anEndlessLineIsCutAtTheLimit() {
        assembler.accept("x".repeat(50), 0, lines::add);
        assertEquals(List.of("x".repeat(50)), lines);
        assertFalse(assembler.hasPartial());
    }

    @Test
    void anUnfinishedLineCanBeHandedOver() {
        assembler.accept("no newline", 7, lines::add);
        assertEquals(7, assembler.partialSinceNanos());
        assembler.flush(lines::add);
        assertEquals(List.of("no newline"), lines);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        [    0.000000] Linux version 6.1.0       | 0
        [  123.456789] sysrq: Trigger a crash    | 123456789
        [12345.5] short fraction                 | 12345500000
        """)
    void readsThePrintkTime(String line, long micros) {
        assertEquals(micros, PlainLineAssembler.kernelTimeMicros(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        no time at all
        [ abc.def] not numbers
        [123] no fraction
        [  1.2345678] seven digits
        """)
    void noPrintkTimeIsNull(String line) {
        assertNull(PlainLineAssembler.kernelTimeMicros(line));
    }
}
