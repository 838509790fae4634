package org.kernelrig.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;
import org.kernelrig.report.RunReport.SourceFrame;
import org.kernelrig.symbols.CrashSymbolizer.CrashSources;

/** Symbolizes crashes whose frames point into frames.c, compiled here ({@link CompiledFrames}). */
class CrashSymbolizerTest {

    @TempDir
    static Path dir;
    static CompiledFrames frames;

    @BeforeAll
    static void compile() throws Exception {
        frames = CompiledFrames.build(dir);
    }

    @Test
    void moduleFramesGetTheLinesOfTheCrashSiteAndOfTheCall() throws IOException {
        Crash crash = crash(" [frames]");
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", frames.object())).symbolize(List.of(crash),
                null).get(0);

        assertNull(sources.note(), "every frame symbolized");
        SourceFrame site = sources.frames().get(0);
        assertTrue(site.site());
        assertEquals("crash_here+" + frames.siteOffset() + "/" + frames.crashHereSize() + " [frames]", site.frame());
        assertEquals("crash_here", site.function());
        assertTrue(site.file().endsWith("frames.c"), site.file());
        assertEquals(frames.markerLine("/* SITE */"), site.line());
        SourceFrame call = sources.frames().get(1);
        assertFalse(call.site());
        assertEquals("caller", call.function());
        assertEquals(frames.markerLine("/* CALL */"), call.line(), "a return address is looked up at its call");
    }

    @Test
    void kernelFramesAreLookedUpAtTheirAddressInTheLinkedImage() throws IOException {
        Crash crash = crash("");
        CrashSources sources = new CrashSymbolizer(DebugInfo.of(frames.executable(), null)).symbolize(List.of(crash), null).get(0);

        assertNull(sources.note());
        assertEquals("frames.c:" + frames.markerLine("/* SITE */"), name(sources.frames().get(0)));
        assertEquals("frames.c:" + frames.markerLine("/* CALL */"), name(sources.frames().get(1)));
    }

    @Test
    void aModuleThatIsNotThereLeavesItsFramesBareAndSaysWhy() throws IOException {
        Crash crash = crash(" [frames]");
        CrashSources sources = new CrashSymbolizer(DebugInfo.of(frames.executable(), dir)).symbolize(List.of(crash), null).get(0);

        assertEquals(2, sources.frames().size());
        assertTrue(sources.frames().stream().allMatch(f -> f.file() == null));
        assertEquals("frames not symbolized: no frames.ko in " + dir, sources.note());
    }

    @Test
    void debugInfoOfAnotherBuildIsNotTrusted() throws IOException {
        String log = frames.log(" [frames]").replace("/" + frames.crashHereSize() + " [frames]", "/0x400 [frames]");
        Crash crash = CrashAnalyzer.analyze(log).get(0);
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", frames.object())).symbolize(List.of(crash),
                null).get(0);

        assertNull(sources.frames().get(0).file());
        assertEquals(frames.markerLine("/* CALL */"), sources.frames().get(1).line());
        assertEquals("1 of 2 frames not symbolized: crash_here has another size in frames.o: the debug info is not of "
                + "the kernel that crashed", sources.note());
    }

    @Test
    void withoutAddr2lineTheReportSaysSoOnce() throws IOException {
        Crash crash = crash(" [frames]");
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", frames.object()), Optional.empty())
                .symbolize(List.of(crash), null).get(0);

        assertEquals("frames not symbolized: addr2line is not installed (Debian package binutils)", sources.note());
    }

    @Test
    void withoutDebugInfoTheNoteNamesDebiansPackage() throws IOException {
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE).symbolize(List.of(crash("")), null).get(0);

        assertEquals("frames not symbolized: no debug info for this kernel (a vmlinux with DWARF, or Debian's "
                + "linux-image-6.1.0-26-amd64-dbg)", sources.note());
    }

    @Test
    void aStrippedObjectIsNamedAsSuch() throws Exception {
        Path stripped = dir.resolve("stripped.o");
        CompiledFrames.run("objcopy", "--strip-debug", frames.object().toString(), stripped.toString());
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", stripped))
                .symbolize(List.of(crash(" [frames]")), null).get(0);

        assertEquals("frames not symbolized: " + stripped + " has no line information (built without -g, or stripped)",
                sources.note());
    }

    private static String name(SourceFrame frame) {
        return Path.of(frame.file()).getFileName() + ":" + frame.line();
    }

    private static Crash crash(String module) {
        List<Crash> crashes = CrashAnalyzer.analyze(frames.log(module));
        assertEquals(1, crashes.size());
        return crashes.get(0);
    }
}
