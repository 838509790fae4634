package org.kernelrig.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the rig command line in-process, exactly as the launcher does, and keeps what it printed. */
public final class RigRunner {

    /** What one run of rig did. */
    public record Result(int exitCode, String out, String err) {
    }

    private RigRunner() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Rig.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
