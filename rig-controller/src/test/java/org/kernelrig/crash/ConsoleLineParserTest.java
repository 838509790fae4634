package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConsoleLineParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Kernel panic - not syncing: x|Kernel panic - not syncing: x|''",
        "[   42.123456] Kernel panic - not syncing: x|Kernel panic - not syncing: x|console",
        "[   42.123456][  T612] Kernel panic - not syncing: x|Kernel panic - not syncing: x|T612",
        "[   42.123456][    C1] Kernel panic - not syncing: x|Kernel panic - not syncing: x|C1",
        "<0>[   42.123456] Kernel panic - not syncing: x|Kernel panic - not syncing: x|console",
        "0,902,42100862,-;Kernel panic - not syncing: x|Kernel panic - not syncing: x|''",
        "0,902,42100862,c,caller=T612;Kernel panic - not syncing: x|Kernel panic - not syncing: x|T612",
        "4,17,500,-,ncfrag=0/120;Kernel panic - not syncing: x|Kernel panic - not syncing: x|''",
        "Nov 24 08:00:01 board kernel: [   42.123456] Kernel panic - not syncing: x|Kernel panic - not syncing: x|console",
        "2026-11-24T08:00:01.123456+00:00 board kernel: Kernel panic - not syncing: x|Kernel panic - not syncing: x|''",
        "syzkaller login: [   36.852785][ T3615] BUG: x|BUG: x|T3615",
        "'[   42.123456]  dump_stack_lvl+0x44/0x5c'|' dump_stack_lvl+0x44/0x5c'|console",
    })
    void prefixesComeOff(String raw, String text, String context) {
        LogLine line = ConsoleLineParser.parse(7, raw);
        assertEquals(text, line.text());
        assertEquals(context, line.context());
        assertEquals(7, line.number());
        assertFalse(line.questionable());
    }

    @Test
    void serialConsolesLoseCarriageReturnsAndEscapes() {
        LogLine line = ConsoleLineParser.parse(1, "\u001b[0m\u001b[?25h[   42.1] sysrq: Trigger a crash\r\r");
        assertEquals("sysrq: Trigger a crash", line.text());
        assertEquals(LogLine.CONSOLE, line.context());
    }

    @Test
    void unreliableFramesAreMarked() {
        LogLine line = ConsoleLineParser.parse(1, "[   42.1]  ? __die_body.cold+0x1a/0x1f");
        assertTrue(line.questionable());
        assertEquals("__die_body.cold+0x1a/0x1f", line.text());
        assertTrue(ConsoleLineParser.parse(1, " [<ffffffff81000000>] ? foo+0x1/0x2").questionable());
        assertFalse(ConsoleLineParser.parse(1, "WARNING: is this ? a frame").questionable());
        LogLine powerpc = ConsoleLineParser.parse(1, "[  284.6] [c000000001bb3530] [c000000001bb35a0] foo+0x8/0x34 (unreliable)");
        assertTrue(powerpc.questionable());
        assertEquals("[c000000001bb3530] [c000000001bb35a0] foo+0x8/0x34", powerpc.text());
    }

    @Test
    void netconsoleDictionaryLinesAreNotMessages() {
        assertNull(ConsoleLineParser.parse(1, " SUBSYSTEM=cpu"));
        assertNull(ConsoleLineParser.parse(1, " DEVICE=+cpu:0"));
        assertEquals(" foo+0x1/0x2", ConsoleLineParser.parse(1, " foo+0x1/0x2").text());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "' sysrq_handle_crash+0x16/0x20'|sysrq_handle_crash|0x16|0x20|''",
        " lkdtm_BUG+0x5/0x10 [lkdtm]|lkdtm_BUG|0x5|0x10|lkdtm",
        " [<ffffffff8100abcd>] __handle_sysrq.cold+0x43/0x11b|__handle_sysrq.cold|0x43|0x11b|''",
        "  ? die+0x2a/0x50|die|0x2a|0x50|''",
    })
    void framesAreParsed(String text, String function, String offset, String size, String module) {
        StackFrame frame = StackFrame.parse(text);
        assertEquals(new StackFrame(function, offset, size, module), frame);
    }

    @Test
    void linesThatAreNotFramesAreNot() {
        assertNull(StackFrame.parse("RIP: 0010:lkdtm_BUG+0x5/0x10 [lkdtm]"));
        assertNull(StackFrame.parse("Call Trace:"));
        assertNull(StackFrame.parse(" <TASK>"));
        assertNull(StackFrame.parse("Kernel Offset: 0x1a000000 from 0xffffffff81000000"));
        assertNull(StackFrame.parse(" foo+0xZZ/0x10"));
    }
    @Test
    void findsTheMessageStartInBytesWhereItDoesInText() {
        for (String line : List.of("", "[", "[ 1.2]", "[   12.345678] BUG: x", "[   12.345678][ T1234] BUG: x",
                "[   12.345678][  C1] x", "<4>[    1.000000] x", "<4>x", "[ 1.] x", "[.5] x", "[ 12.5][T] x",
                "[ 12.5][ T12 x", "plain BUG: line", "<12345>[1.5] y", "<123456>[1.5] y", "[ 1.5]")) {
            byte[] bytes = ("xx" + line + "yy").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(ConsoleLineParser.messageStart(line),
                    ConsoleLineParser.messageStart(bytes, 2, bytes.length - 2) - 2, line);
        }
    }
    @Test
    void parsesAPrefixedLineFromItsBytesAsFromItsText() {
        for (String line : List.of("[   12.345678] BUG: x", "[   12.345678][ T1234] BUG: x", "[   12.3][  C1]  foo+0x1/0x2",
                "<4>[    1.000000] x", "[ 1.5][T7] ? foo+0x1/0x2", "[ 1.5]  [<ffffffff81000000>] ? bar+0x1/0x2",
                "[ 1.5] baz+0x1/0x2 (unreliable)", "[ 1.5]", "[ 1.5][ T99]", "[ 1.5] [ T99] not a caller id")) {
            byte[] bytes = ("xx" + line + "yy").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int message = ConsoleLineParser.messageStart(bytes, 2, bytes.length - 2);
            assertEquals(ConsoleLineParser.parse(7, line),
                    ConsoleLineParser.parsePrefixed(7, bytes, 2, message, bytes.length - 2, LogLine.CONSOLE), line);
            assertEquals(ConsoleLineParser.parse(7, line),
                    ConsoleLineParser.parsePrefixed(7, bytes, 2, message, bytes.length - 2, "T99"), line);
        }
    }
}
