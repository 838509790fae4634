package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks {@code kernel-logs/}: every {@code *.log} there is a console log with its expected analysis
 * in its header ({@code TITLE:}, {@code KIND:}, {@code FRAME:}, {@code PANICKED:}, ...; see the
 * README of that folder). Adding a case is adding a file.
 */
class KernelLogCasesTest {

    static Path folder() throws Exception {
        return Path.of(KernelLogCasesTest.class.getResource("/kernel-logs").toURI());
    }

    static List<Path> cases() throws Exception {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void theFolderHoldsTheCasesTheAnalyzerMustKnow() throws Exception {
        List<String> names = cases().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.size() >= 15, "cases: " + names);
        assertTrue(names.contains("debian-6.1-x86_64-sysrq-panic.log"));
    }

    @TestFactory
    Stream<DynamicTest> everyLogIsAnalysedAsItsHeaderSays() throws Exception {
        return cases().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) throws IOException {
        LogCase c = LogCase.read(file);
        List<Crash> crashes = CrashAnalyzer.analyze(c.log());
        String expectedTitle = c.header("TITLE");
        if (c.header("CRASHES") != null) {
            assertEquals(Integer.parseInt(c.header("CRASHES")), crashes.size(), () -> "crashes: " + titles(crashes));
        }
        if (expectedTitle == null) {
            assertTrue(crashes.isEmpty(), () -> "expected no crash, found " + titles(crashes));
            return;
        }
        assertFalse(crashes.isEmpty(), "no crash found");
        Crash crash = crashes.get(0);
        assertEquals(expectedTitle, crash.title());
        expect(c, "KIND", crash.kind().id());
        expect(c, "FRAME", crash.guiltyFrame());
        expect(c, "PANICKED", yes(crash.panicked()));
        expect(c, "CORRUPTED", yes(crash.corrupted()));
        expect(c, "COMPLETE", yes(crash.complete()));
        expect(c, "FIRST", String.valueOf(crash.firstLine()));
        expect(c, "LAST", String.valueOf(crash.lastLine()));
        expect(c, "RELEASE", crash.kernelRelease());
        expect(c, "TAINT", crash.taint());
        expect(c, "HARDWARE", crash.hardware());
        List<String> all = c.all("CRASH");
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i), crashes.get(i).kind().id() + " | " + crashes.get(i).title(), "crash #" + (i + 1));
        }
    }

    private static void expect(LogCase c, String header, String actual) {
        String expected = c.header(header);
        if (expected != null) {
            assertEquals(expected, actual, header);
        }
    }

    private static String yes(boolean value) {
        return value ? "Y" : "N";
    }

    private static List<String> titles(List<Crash> crashes) {
        return crashes.stream().map(Crash::title).toList();
    }
}
