package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class AnalyzeCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Rig.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static Path sample(String name) throws Exception {
        return Path.of(AnalyzeCommandTest.class.getResource("/kernel-logs/" + name).toURI());
    }

    /** The log part of a kernel-logs case, as a plain file. */
    private Path logOf(String name) throws Exception {
        String content = Files.readString(sample(name), StandardCharsets.ISO_8859_1);
        Path file = dir.resolve(name);
        Files.writeString(file, content.substring(content.indexOf("\n\n") + 2), StandardCharsets.ISO_8859_1);
        return file;
    }

    /**
     * Many logs are analysed side by side: each comes out as it does alone, in the order given, and a
     * file that cannot be read among them is reported without spoiling the others.
     */
    @Test
    void manyLogsComeOutAsEachAloneInTheOrderGiven() throws Exception {
        List<String> files = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> logs = Files.list(sample("README.md").getParent())) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                files.add(logOf(log.getFileName().toString()).toString());
            }
        }
        files.add(files.size() / 2, dir.resolve("missing.log").toString());
        List<String> args = new java.util.ArrayList<>(List.of("analyze", "--json"));
        args.addAll(files);
        assertEquals(2, run(args.toArray(String[]::new)));
        assertEquals("rig: " + dir.resolve("missing.log") + ": no such file" + System.lineSeparator(), err.toString());
        JsonNode together = new ObjectMapper().readTree(out.toString());
        assertEquals(files.size() - 1, together.size());
        int crashes = 0;
        int at = 0;
        for (String file : files) {
            if (file.endsWith("missing.log")) {
                continue;
            }
            out.getBuffer().setLength(0);
            assertEquals(0, run("analyze", "--json", file));
            JsonNode alone = new ObjectMapper().readTree(out.toString()).get(0);
            assertEquals(alone, together.get(at++), file);
            crashes += alone.get("crashes").size();
        }
        assertTrue(crashes >= files.size() - 1, "crashes found: " + crashes);
    }

    /** Compresses a file with a real compressor from Debian's packages, as logrotate or a bug reporter would. */
    private Path compressed(Path plain, String tool, String suffix) throws Exception {
        Path target = dir.resolve(plain.getFileName() + suffix);
        Process process = new ProcessBuilder(tool, "-c", plain.toString()).redirectOutput(target.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, process.waitFor(), tool);
        return target;
    }

    private JsonNode crashesOf(String... args) throws Exception {
        out.getBuffer().setLength(0);
        assertEquals(0, run(args), err.toString());
        return new ObjectMapper().readTree(out.toString()).get(0).get("crashes");
    }

    @Test
    void readsLogsCompressedWithGzipBzip2AndXz() throws Exception {
        Path plain = logOf("debian-6.1-x86_64-lkdtm-exception.log");
        JsonNode expected = crashesOf("analyze", "--json", plain.toString());
        assertEquals(1, expected.size());
        for (String[] tool : List.of(new String[] {"gzip", ".gz"}, new String[] {"bzip2", ".bz2"},
                new String[] {"xz", ".xz"})) {
            Path file = compressed(plain, tool[0], tool[1]);
            assertEquals(expected, crashesOf("analyze", "--json", file.toString()), tool[0]);
        }
        // logrotate's kern.log.2.gz fed through a pipe
        System.setIn(Files.newInputStream(compressed(plain, "gzip", ".stdin.gz")));
        try {
            assertEquals(expected, crashesOf("analyze", "--json", "-"));
        } finally {
            System.setIn(new ByteArrayInputStream(new byte[0]));
        }
    }

    @Test
    void concatenatedGzipMembersAreOneLog() throws Exception {
        Path first = logOf("debian-6.1-x86_64-lkdtm-exception.log");
        Path second = logOf("debian-6.1-x86_64-sysrq-panic.log");
        Path both = dir.resolve("both.log");
        Files.write(both, Files.readAllBytes(first));
        Files.write(both, Files.readAllBytes(second), java.nio.file.StandardOpenOption.APPEND);
        Path joined = dir.resolve("both.log.gz");
        Files.write(joined, Files.readAllBytes(compressed(first, "gzip", ".gz")));
        Files.write(joined, Files.readAllBytes(compressed(second, "gzip", ".gz")), java.nio.file.StandardOpenOption.APPEND);
        JsonNode expected = crashesOf("analyze", "--json", both.toString());
        // the second member counts: the log is not the first one alone
        assertFalse(expected.equals(crashesOf("analyze", "--json", first.toString())), expected.toString());
        assertEquals(expected, crashesOf("analyze", "--json", joined.toString()));
    }

    @Test
    void aLogInAFormatRigDoesNotReadSaysWhatToDo() throws Exception {
        Path zstd = compressed(logOf("debian-6.1-x86_64-lkdtm-exception.log"), "zstd", ".zst");
        assertEquals(2, run("analyze", zstd.toString()));
        assertEquals("rig: " + zstd + ": cannot read: compressed with zstd, which rig does not read (it reads gzip, "
                + "bzip2 and xz): decompress it and pipe it in, for example: zstd -dc FILE | rig analyze -"
                + System.lineSeparator(), err.toString());
        Path broken = dir.resolve("broken.log.gz");
        byte[] gz = Files.readAllBytes(compressed(logOf("debian-6.1-x86_64-sysrq-panic.log"), "gzip", ".gz"));
        Files.write(broken, java.util.Arrays.copyOf(gz, gz.length / 2));
        err.getBuffer().setLength(0);
        assertEquals(2, run("analyze", broken.toString()));
        assertTrue(err.toString().startsWith("rig: " + broken + ": cannot read: "), err.toString());
    }

    @Test
    void reportPrintsEachCrashsLinesWithoutConsolePrefixes() throws Exception {
        Path sysrq = logOf("debian-6.1-x86_64-sysrq-panic.log");
        assertEquals(0, run("analyze", "--report", sysrq.toString()));
        String text = out.toString();
        assertTrue(text.contains("\n\n     Kernel panic - not syncing: sysrq triggered crash\n     CPU: 0 PID: "), text);
        assertFalse(text.contains("sysrq: Trigger a crash"), "the line before the crash is not in its report: " + text);
        assertTrue(text.contains("\n     ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n"), text);
        assertFalse(java.util.regex.Pattern.compile("(?m)^ +\\[ *[0-9]+\\.[0-9]+\\]").matcher(text).find(),
                "no printk timestamps: " + text);
        out.getBuffer().setLength(0);
        JsonNode report = crashesOf("analyze", "--json", "--report", sysrq.toString()).get(0).get("report");
        List<String> lines = Files.readAllLines(sysrq, StandardCharsets.ISO_8859_1);
        JsonNode crash = crashesOf("analyze", "--json", sysrq.toString()).get(0);
        assertEquals(crash.get("lastLine").asInt() - crash.get("firstLine").asInt() + 1, report.size());
        for (int i = 0; i < report.size(); i++) {
            String line = lines.get(crash.get("firstLine").asInt() - 1 + i);
            assertTrue(line.endsWith("] " + report.get(i).asText()) || line.endsWith(report.get(i).asText()), line);
        }
        assertFalse(crash.has("report"), "without --report, no report lines");
    }

    @Test
    void summarisesEachCrashOfEachFile() throws Exception {
        Path sysrq = logOf("debian-6.1-x86_64-sysrq-panic.log");
        Path quiet = Files.writeString(dir.resolve("quiet.log"), "[    0.000000] Linux version 6.1.0-26-amd64\n");
        assertEquals(0, run("analyze", sysrq.toString(), quiet.toString()));
        String text = out.toString();
        assertTrue(text.contains(sysrq + ": 1 crash"), text);
        assertTrue(text.contains("#1 kernel panic: sysrq triggered crash"), text);
        assertTrue(text.contains("kind sysrq-crash, lines 2-30, panicked, complete, not corrupted"), text);
        assertTrue(text.contains("guilty frame sysrq_handle_crash"), text);
        assertTrue(text.contains("kernel 6.1.0-26-amd64 on QEMU Standard PC"), text);
        assertTrue(text.contains(quiet + ": no crash"), text);
        assertEquals("", err.toString());
    }

    @Test
    void printsJsonWithOneObjectPerFile() throws Exception {
        Path warning = logOf("debian-6.1-x86_64-lkdtm-warning.log");
        Path hung = logOf("debian-6.1-x86_64-lkdtm-hung-task.log");
        assertEquals(0, run("analyze", "--json", warning.toString(), hung.toString()));
        JsonNode files = new ObjectMapper().readTree(out.toString());
        assertEquals(2, files.size());
        assertEquals(warning.toString(), files.get(0).get("file").asText());
        JsonNode crash = files.get(0).get("crashes").get(0);
        assertEquals("warning", crash.get("kind").asText());
        assertEquals("WARNING in lkdtm_WARNING", crash.get("title").asText());
        assertEquals("lkdtm_WARNING", crash.get("guiltyFrame").asText());
        assertFalse(crash.get("panicked").asBoolean());
        assertFalse(crash.get("corrupted").asBoolean());
        assertTrue(crash.get("complete").asBoolean());
        assertEquals(3, crash.get("firstLine").asInt());
        assertTrue(crash.get("lastLine").asInt() > 30);
        assertEquals(16, crash.get("fingerprint").asText().length());
        assertEquals("lkdtm_do_action+0x15/0x30 [lkdtm]", crash.get("frames").get(0).asText());
        for (String field : List.of("kind", "title", "corrupted", "panicked", "guiltyFrame", "fingerprint", "firstLine",
                "lastLine", "complete", "frames")) {
            assertTrue(crash.has(field), field);
        }
        assertEquals("hung-task", files.get(1).get("crashes").get(0).get("kind").asText());
    }

    @Test
    void readsStandardInput() throws Exception {
        byte[] log = Files.readAllBytes(logOf("debian-6.1-x86_64-sysrq-panic-serial-crlf.log"));
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(log));
            assertEquals(0, run("analyze", "--json", "-"));
        } finally {
            System.setIn(stdin);
        }
        JsonNode file = new ObjectMapper().readTree(out.toString()).get(0);
        assertEquals("-", file.get("file").asText());
        assertEquals("kernel panic: sysrq triggered crash", file.get("crashes").get(0).get("title").asText());
    }

    @Test
    void aMissingFileIsBadInput() throws Exception {
        Path sysrq = logOf("debian-6.1-x86_64-sysrq-panic.log");
        Path missing = dir.resolve("no-such.log");
        assertEquals(ExitCodes.INVALID, run("analyze", missing.toString(), sysrq.toString()));
        assertTrue(err.toString().contains(missing + ": no such file"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertTrue(out.toString().contains("kernel panic: sysrq triggered crash"), "the readable file is still analysed");
    }

    @Test
    void aDirectoryIsBadInput() {
        assertEquals(ExitCodes.INVALID, run("analyze", dir.toString()));
        assertTrue(err.toString().contains(dir + ": cannot read: is a directory"), err.toString());
    }

    @Test
    void withoutFilesItIsAUsageError() {
        assertEquals(ExitCodes.INVALID, run("analyze"));
        assertTrue(err.toString().contains("FILE"), err.toString());
    }

    @Test
    void standardInputCanBeGivenOnce() {
        assertEquals(ExitCodes.INVALID, run("analyze", "-", "-"));
        assertTrue(err.toString().startsWith("- (standard input) can be given once: it is read once"), err.toString());
        assertEquals("", out.toString());
    }
}
