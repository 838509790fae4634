package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.symbols.CompiledFrames;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code rig analyze --vmlinux/--modules}: frames with source lines, from an ELF compiled here. */
class AnalyzeSourceLinesTest {

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

    @Test
    void kernelFramesGetTheirLinesFromTheVmlinux() throws Exception {
        CompiledFrames frames = CompiledFrames.build(dir);
        Path log = Files.writeString(dir.resolve("oops.log"), frames.log(""));

        assertEquals(0, run("analyze", "--vmlinux", frames.executable().toString(), log.toString()), err.toString());

        String text = out.toString();
        String site = "crash_here+" + frames.siteOffset() + "/" + frames.crashHereSize() + " (crash site): "
                + frames.source() + ":" + frames.markerLine("/* SITE */");
        assertTrue(text.contains(site), text);
        assertTrue(text.contains("caller+" + frames.callOffset() + "/" + frames.callerSize() + ": " + frames.source() + ":"
                + frames.markerLine("/* CALL */")), text);
    }

    @Test
    void moduleFramesGetTheirLinesFromTheModulesFolder() throws Exception {
        CompiledFrames frames = CompiledFrames.build(dir);
        Path modules = Files.createDirectories(dir.resolve("lib/modules/6.1.0-26-amd64/extra"));
        Files.copy(frames.object(), modules.resolve("frames.ko"));
        Path log = Files.writeString(dir.resolve("oops.log"), frames.log(" [frames]"));

        assertEquals(0, run("analyze", "--json", "--modules", dir.resolve("lib/modules").toString(), log.toString()),
                err.toString());

        JsonNode crash = new ObjectMapper().readTree(out.toString()).get(0).get("crashes").get(0);
        JsonNode site = crash.get("sourceFrames").get(0);
        assertTrue(site.get("site").asBoolean());
        assertEquals(frames.source().toString(), site.get("file").asText());
        assertEquals(frames.markerLine("/* SITE */"), site.get("line").asInt());
        assertEquals(frames.markerLine("/* CALL */"), crash.get("sourceFrames").get(1).get("line").asInt());
        assertTrue(crash.get("sourceNote").isNull());
    }

    @Test
    void aPathThatIsNotThereIsABadUsage() {
        Path missing = dir.resolve("vmlinux-6.1.0-26-amd64");

        assertEquals(ExitCodes.INVALID, run("analyze", "--vmlinux", missing.toString(), "-"));

        assertEquals("rig: " + missing + ": no such file or folder\n", err.toString());
    }

    @Test
    void aFileThatIsNotAnElfIsABadUsage() throws Exception {
        Path text = Files.writeString(dir.resolve("vmlinux"), "not an ELF file\n");

        assertEquals(ExitCodes.INVALID, run("analyze", "--vmlinux", text.toString(), "-"));

        assertEquals("rig: " + text + ": not a vmlinux with debug info: not an ELF file\n", err.toString());
    }
}
