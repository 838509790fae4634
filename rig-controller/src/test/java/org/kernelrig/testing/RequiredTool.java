package org.kernelrig.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program of the machine (qemu, socat, ser2net) call
 * {@link #require}. A missing program fails the test, unless the run was
 * told it may skip ({@code -Drig.allowSkip=true}): CI installs everything
 * and runs everything.
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** Returns the program's path, or fails (or skips, when allowed) naming the Debian package. */
    public static Path require(String program, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = program + " is not installed: apt-get install " + debianPackage;
        if (Boolean.getBoolean("rig.allowSkip")) {
            Assumptions.abort(reason + " (skipped: -Drig.allowSkip=true)");
        }
        fail(reason + " (or run with -Drig.allowSkip=true to skip such tests)");
        return null;
    }
}
