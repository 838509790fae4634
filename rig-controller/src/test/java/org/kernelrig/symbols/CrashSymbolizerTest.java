package org.kernelrig.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;
import org.kernelrig.report.RunReport.SourceFrame;
import org.kernelrig.symbols.CrashSymbolizer.CrashSources;
import org.kernelrig.testing.RequiredTool;

/**
 * Symbolizes a crash whose frames point into a real ELF compiled here:
 * frames.c, built with {@code gcc -g} into a relocatable object (like a
 * module, its functions in two sections) and an executable linked from it
 * (like a vmlinux). The program itself reports the offsets of its crash
 * site and of a return address; the expected lines are those of the
 * marker comments in its source.
 */
class CrashSymbolizerTest {

    @TempDir
    static Path dir;
    static Path source;
    static Path object;
    static Path executable;
    static String siteOffset;
    static String callOffset;
    static String crashHereSize;
    static String callerSize;

    @BeforeAll
    static void compile() throws Exception {
        RequiredTool.require("gcc", "gcc");
        RequiredTool.require("addr2line", "binutils");
        source = dir.resolve("frames.c");
        try (InputStream in = CrashSymbolizerTest.class.getResourceAsStream("/symbols/frames.c")) {
            Files.write(source, in.readAllBytes());
        }
        object = dir.resolve("frames.o");
        executable = dir.resolve("frames");
        run("gcc", "-g", "-O0", "-c", source.toString(), "-o", object.toString());
        run("gcc", object.toString(), "-o", executable.toString());
        String[] offsets = run(executable.toString()).strip().split(" ");
        siteOffset = "0x" + offsets[0];
        callOffset = "0x" + offsets[1];
        for (String line : run("nm", "-S", object.toString()).split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 4 && f[3].equals("crash_here")) {
                crashHereSize = "0x" + Long.toHexString(Long.parseLong(f[1], 16));
            } else if (f.length == 4 && f[3].equals("caller")) {
                callerSize = "0x" + Long.toHexString(Long.parseLong(f[1], 16));
            }
        }
    }

    @Test
    void moduleFramesGetTheLinesOfTheCrashSiteAndOfTheCall() throws IOException {
        Crash crash = crash(" [frames]");
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", object)).symbolize(List.of(crash),
                null).get(0);

        assertNull(sources.note(), "every frame symbolized");
        SourceFrame site = sources.frames().get(0);
        assertTrue(site.site());
        assertEquals("crash_here+" + siteOffset + "/" + crashHereSize + " [frames]", site.frame());
        assertEquals("crash_here", site.function());
        assertTrue(site.file().endsWith("frames.c"), site.file());
        assertEquals(markerLine("/* SITE */"), site.line());
        SourceFrame call = sources.frames().get(1);
        assertFalse(call.site());
        assertEquals("caller", call.function());
        assertEquals(markerLine("/* CALL */"), call.line(), "a return address is looked up at its call");
    }

    @Test
    void kernelFramesAreLookedUpAtTheirAddressInTheLinkedImage() throws IOException {
        Crash crash = crash("");
        CrashSources sources = new CrashSymbolizer(DebugInfo.of(executable, null)).symbolize(List.of(crash), null).get(0);

        assertNull(sources.note());
        assertEquals("frames.c:" + markerLine("/* SITE */"), name(sources.frames().get(0)));
        assertEquals("frames.c:" + markerLine("/* CALL */"), name(sources.frames().get(1)));
    }

    @Test
    void aModuleThatIsNotThereLeavesItsFramesBareAndSaysWhy() throws IOException {
        Crash crash = crash(" [frames]");
        CrashSources sources = new CrashSymbolizer(DebugInfo.of(executable, dir)).symbolize(List.of(crash), null).get(0);

        assertEquals(2, sources.frames().size());
        assertTrue(sources.frames().stream().allMatch(f -> f.file() == null));
        assertEquals("frames not symbolized: no frames.ko in " + dir, sources.note());
    }

    @Test
    void debugInfoOfAnotherBuildIsNotTrusted() throws IOException {
        String log = log(" [frames]").replace("/" + crashHereSize + " [frames]", "/0x400 [frames]");
        Crash crash = CrashAnalyzer.analyze(log).get(0);
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", object)).symbolize(List.of(crash),
                null).get(0);

        assertNull(sources.frames().get(0).file());
        assertEquals(markerLine("/* CALL */"), sources.frames().get(1).line());
        assertEquals("1 of 2 frames not symbolized: crash_here has another size in frames.o: the debug info is not of "
                + "the kernel that crashed", sources.note());
    }

    @Test
    void withoutAddr2lineTheReportSaysSoOnce() throws IOException {
        Crash crash = crash(" [frames]");
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", object), Optional.empty())
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
        run("objcopy", "--strip-debug", object.toString(), stripped.toString());
        CrashSources sources = new CrashSymbolizer(DebugInfo.NONE.withModule("frames", stripped))
                .symbolize(List.of(crash(" [frames]")), null).get(0);

        assertEquals("frames not symbolized: " + stripped + " has no line information (built without -g, or stripped)",
                sources.note());
    }

    private static String name(SourceFrame frame) {
        return Path.of(frame.file()).getFileName() + ":" + frame.line();
    }

    private static Crash crash(String module) {
        List<Crash> crashes = CrashAnalyzer.analyze(log(module));
        assertEquals(1, crashes.size());
        return crashes.get(0);
    }

    /** An oops as Debian's 6.1 kernel prints it, its frames in frames.c. */
    private static String log(String module) {
        return String.join("\n",
                "[  101.200862] BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "[  101.201293] #PF: supervisor read access in kernel mode",
                "[  101.202586] Oops: 0000 [#1] PREEMPT SMP NOPTI",
                "[  101.203017] CPU: 1 PID: 670 Comm: bash Not tainted 6.1.0-26-amd64 #1  Debian 6.1.112-1",
                "[  101.203879] RIP: 0010:crash_here+" + siteOffset + "/" + crashHereSize + module,
                "[  101.204741] RSP: 0018:ffffb0a1c06b3dc8 EFLAGS: 00010246",
                "[  101.208620] Call Trace:",
                "[  101.209051]  <TASK>",
                "[  101.209913]  ? page_fault_oops+0xd2/0x2b0",
                "[  101.212068]  caller+" + callOffset + "/" + callerSize + module,
                "[  101.219826]  </TASK>",
                "[  101.220257] Modules linked in: frames",
                "[  101.220688] CR2: 0000000000000000",
                "[  101.221119] ---[ end trace 0000000000000000 ]---", "");
    }

    private static int markerLine(String marker) throws IOException {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + marker + " in frames.c");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
