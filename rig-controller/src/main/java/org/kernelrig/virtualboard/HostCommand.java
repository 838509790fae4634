package org.kernelrig.virtualboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.kernelrig.LabException;

/** A program of this machine, run to completion with a time limit; its output is captured in files. */
public final class HostCommand {

    /** What a finished program left. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last lines of the error output, for messages. */
        public String errorTail() {
            String text = stderr.isBlank() ? stdout : stderr;
            String[] lines = text.strip().split("\n");
            return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 8), lines.length));
        }
    }

    private final List<String> command;
    private Path directory;
    private Duration timeout = Duration.ofMinutes(10);
    private final Map<String, String> environment = new java.util.HashMap<>();

    private HostCommand(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static HostCommand of(String... command) {
        return new HostCommand(List.of(command));
    }

    public static HostCommand of(List<String> command) {
        return new HostCommand(command);
    }

    public HostCommand in(Path directory) {
        this.directory = directory;
        return this;
    }

    public HostCommand timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    HostCommand env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs the program; a program that cannot start or overruns its time is a lab failure. */
    public Result run() throws LabException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("rig-cmd", ".out");
            err = Files.createTempFile("rig-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            builder.environment().put("LC_ALL", "C");
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new LabException("cannot run " + command.get(0) + ": " + e.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new LabException(describe() + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LabException("cannot run " + describe() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + describe());
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs the program and fails with its error output unless it exits with 0. */
    public Result check(String what) throws LabException {
        Result result = run();
        if (!result.ok()) {
            throw new LabException(what + " failed: " + describe() + " exited with " + result.exitCode(),
                    result.errorTail());
        }
        return result;
    }

    String describe() {
        List<String> shown = new ArrayList<>(command.subList(0, Math.min(command.size(), 6)));
        if (command.size() > 6) {
            shown.add("...");
        }
        return String.join(" ", shown);
    }

    /** The program's path when it is on this machine's PATH (or in the sbin folders), else null. */
    static Path find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
