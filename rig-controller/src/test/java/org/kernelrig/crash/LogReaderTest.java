package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LogReaderTest {

    private static List<String> read(byte[] bytes) throws Exception {
        List<String> lines = new ArrayList<>();
        int count = LogReader.read(new ByteArrayInputStream(bytes), lines::add);
        assertEquals(lines.size(), count);
        return lines;
    }

    @Test
    void splitsAtNewlinesOnlyAndKeepsTheRest() throws Exception {
        byte[] bytes = "one\r\r\ntwo\n\nthree\rstill three\nlast without newline".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("one\r\r", "two", "", "three\rstill three", "last without newline"), read(bytes));
        assertEquals(List.of(), read(new byte[0]));
        assertEquals(List.of(""), read("\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badBytesSpoilOnlyTheirLine() throws Exception {
        byte[] bytes = {'a', (byte) 0xff, 'b', '\n', 'o', 'k', '\n'};
        assertEquals(List.of("a\ufffdb", "ok"), read(bytes));
    }

    @Test
    void linesAcrossReadBuffersAndLongLinesAreHandled() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            String line = "[ " + i + ".000000] line " + "x".repeat(i % 37);
            expected.add(line);
            out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String huge = "y".repeat(LogReader.MAX_LINE + 1000);
        out.writeBytes((huge + "\nafter\n").getBytes(StandardCharsets.UTF_8));
        expected.add(huge.substring(0, LogReader.MAX_LINE));
        expected.add("after");
        assertEquals(expected, read(out.toByteArray()));
    }

    @Test
    void theAnalyzerFindsTheSameCrashesInBytesAsInLines() throws Exception {
        List<java.nio.file.Path> logs = new ArrayList<>(KernelLogCasesTest.cases());
        try (java.util.stream.Stream<java.nio.file.Path> corpus = java.nio.file.Files.list(SyzkallerConformanceTest.corpus())) {
            corpus.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(logs::add);
        }
        for (java.nio.file.Path file : logs) {
            // the log as a console writes it: \r kept where the case keeps it, bytes as they are
            byte[] bytes = (String.join("\n", LogCase.read(file).log()) + "\n").getBytes(StandardCharsets.ISO_8859_1);
            CrashAnalyzer fromLines = new CrashAnalyzer();
            LogReader.read(new ByteArrayInputStream(bytes), fromLines::accept);
            CrashAnalyzer fromBytes = new CrashAnalyzer();
            LogReader.read(new ByteArrayInputStream(bytes), fromBytes);
            assertEquals(fromLines.finish(), fromBytes.finish(), file.toString());
        }
    }

    @Test
    void findsNewlinesAtEveryOffset() {
        for (int at = 0; at < 20; at++) {
            byte[] bytes = "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
            bytes[at] = '\n';
            assertEquals(at, LogReader.nextNewline(bytes, 0, bytes.length));
            assertEquals(bytes.length, LogReader.nextNewline(bytes, at + 1, bytes.length));
        }
    }
}
