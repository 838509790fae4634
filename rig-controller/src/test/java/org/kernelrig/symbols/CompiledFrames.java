package org.kernelrig.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.kernelrig.testing.RequiredTool;

/**
 * frames.c (test resources) built with {@code gcc -g} into a relocatable
 * object, like a module, its two functions in two sections, and an
 * executable linked from it, like a vmlinux. The program itself prints the
 * offsets of its crash site and of a return address, so a test writes a
 * kernel log whose frames point into it; the expected lines are those of
 * the marker comments in its source.
 */
public record CompiledFrames(Path source, Path object, Path executable, String siteOffset, String callOffset,
        String crashHereSize, String callerSize) {

    public static CompiledFrames build(Path dir) throws IOException, InterruptedException {
        RequiredTool.require("gcc", "gcc");
        RequiredTool.require("addr2line", "binutils");
        Path source = dir.resolve("frames.c");
        try (InputStream in = CompiledFrames.class.getResourceAsStream("/symbols/frames.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path object = dir.resolve("frames.o");
        Path executable = dir.resolve("frames");
        run("gcc", "-g", "-O0", "-c", source.toString(), "-o", object.toString());
        run("gcc", object.toString(), "-o", executable.toString());
        String[] offsets = run(executable.toString()).strip().split(" ");
        String crashHere = null;
        String caller = null;
        for (String line : run("nm", "-S", object.toString()).split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 4 && f[3].equals("crash_here")) {
                crashHere = "0x" + Long.toHexString(Long.parseLong(f[1], 16));
            } else if (f.length == 4 && f[3].equals("caller")) {
                caller = "0x" + Long.toHexString(Long.parseLong(f[1], 16));
            }
        }
        return new CompiledFrames(source, object, executable, "0x" + offsets[0], "0x" + offsets[1], crashHere, caller);
    }

    /** An oops as Debian's 6.1 kernel prints it, its site and frame in frames.c; module " [frames]" or "". */
    public String log(String module) {
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

    /** The line of frames.c that carries a marker comment. */
    public int markerLine(String marker) throws IOException {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + marker + " in frames.c");
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
