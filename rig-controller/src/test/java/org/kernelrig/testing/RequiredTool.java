package org.kernelrig.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program of the machine (qemu, socat, ser2net) call
 * {@link #require}. A missing program is installed from Debian's packages
 * when the tests run as root (as on CI and a fresh machine); otherwise the
 * test fails naming the package, unless the run was told it may skip
 * ({@code -Drig.allowSkip=true}).
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** Returns the program's path, installing its package as root, or fails (or skips, when allowed). */
    public static synchronized Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isEmpty() && isRoot()) {
            install(debianPackage);
            found = find(program);
        }
        if (found.isPresent()) {
            return found.get();
        }
        String reason = program + " is not installed: apt-get install " + debianPackage;
        if (Boolean.getBoolean("rig.allowSkip")) {
            Assumptions.abort(reason + " (skipped: -Drig.allowSkip=true)");
        }
        fail(reason + " (or run with -Drig.allowSkip=true to skip such tests)");
        return null;
    }

    /** Like {@link #require} for a data file a package installs, such as firmware. */
    public static synchronized Path requireFile(Path file, String debianPackage) {
        if (!Files.isRegularFile(file) && isRoot()) {
            install(debianPackage);
        }
        if (Files.isRegularFile(file)) {
            return file;
        }
        String reason = file + " is missing: apt-get install " + debianPackage;
        if (Boolean.getBoolean("rig.allowSkip")) {
            Assumptions.abort(reason + " (skipped: -Drig.allowSkip=true)");
        }
        fail(reason + " (or run with -Drig.allowSkip=true to skip such tests)");
        return null;
    }

    /** Tests that change the machine (users, sudoers) need root; elsewhere they fail, or skip when allowed. */
    public static void requireRoot(String why) {
        if (isRoot()) {
            return;
        }
        String reason = why + " needs root";
        if (Boolean.getBoolean("rig.allowSkip")) {
            Assumptions.abort(reason + " (skipped: -Drig.allowSkip=true)");
        }
        fail(reason + " (or run with -Drig.allowSkip=true to skip such tests)");
    }

    private static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void install(String debianPackage) {
        System.err.println("tests: installing " + debianPackage + " from Debian's packages");
        try {
            if (!run("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage)) {
                run("apt-get", "update", "-qq");
                run("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage);
            }
        } catch (IOException e) {
            System.err.println("tests: could not run apt-get: " + e.getMessage());
        }
    }

    private static boolean run(String... command) throws IOException {
        // Not inherited: a forked test JVM must not write to its native stdout.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        try {
            return process.waitFor(15, TimeUnit.MINUTES) && process.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}
