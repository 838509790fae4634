package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code rig check} on each file of {@code broken/}, which holds one
 * defect per file, and compares the report with {@code broken/EXPECTED.tsv}.
 * Adding a case is adding a file and its line there.
 */
class BrokenFilesTest {

    private static final Path FOLDER = Path.of("src/test/resources/broken");

    record Expected(String file, String message, String hint) {
    }

    static Map<String, Expected> expected() throws IOException {
        Map<String, Expected> cases = new LinkedHashMap<>();
        for (String line : Files.readAllLines(FOLDER.resolve("EXPECTED.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            cases.put(columns[0], new Expected(columns[0], columns[1], columns.length > 2 ? columns[2] : ""));
        }
        return cases;
    }

    @Test
    void everyBrokenFileHasAnExpectation() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(FOLDER)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).map(p -> FOLDER.relativize(p).toString())
                    .sorted().toList();
        }
        assertEquals(files, expected().keySet().stream().sorted().toList());
        assertTrue(files.size() >= 30, "at least 30 broken files");
    }

    @TestFactory
    Stream<DynamicTest> checkReportsTheDefect() throws IOException {
        return expected().values().stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            String path = FOLDER.resolve(c.file()).toString();
            RigRunner.Result result = RigRunner.run("check", "--inventory", "../inventory", path);

            assertEquals(ExitCodes.INVALID, result.exitCode(), result.err());
            List<String> lines = result.err().lines().toList();
            assertEquals(path + ":" + c.message(), lines.get(0));
            if (!c.hint().isEmpty()) {
                assertTrue(lines.get(1).startsWith("  " + c.hint()), lines.get(1));
            }
            long problems = lines.stream().filter(l -> l.startsWith(path + ":")).count();
            assertEquals(1, problems, "one defect, one problem:\n" + result.err());
            assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), "no stack trace");
            assertFalse(result.out().contains(": OK"), result.out());
        }));
    }
}
