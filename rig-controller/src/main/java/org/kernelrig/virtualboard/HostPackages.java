package org.kernelrig.virtualboard;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.kernelrig.LabException;

/**
 * The programs of this machine the virtual board needs, and the Debian
 * packages that hold them. Missing ones are installed when rig runs as root;
 * otherwise the error gives the one command that installs them.
 */
final class HostPackages {

    /** Program and package for running a virtual board. */
    static final Map<String, String> TO_RUN = Map.of("qemu-system-x86_64", "qemu-system-x86");

    /** Program and package for building its image; the compiler is the one the kernel's headers name. */
    static final Map<String, String> TO_BUILD;

    static {
        Map<String, String> build = new LinkedHashMap<>();
        build.put("apt-get", "apt");
        build.put("dpkg-deb", "dpkg");
        build.put("depmod", "kmod");
        build.put("ssh-keygen", "openssh-client");
        build.put("make", "make");
        TO_BUILD = build;
    }

    private HostPackages() {
    }

    /** Makes sure every program of {@code programs} is there, installing the packages when root. */
    static void ensure(Map<String, String> programs, Consumer<String> progress) throws LabException {
        Map<String, String> missing = new LinkedHashMap<>();
        programs.forEach((program, pkg) -> {
            if (HostCommand.find(program) == null) {
                missing.put(program, pkg);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        List<String> packages = missing.values().stream().distinct().toList();
        String install = "apt-get install -y " + String.join(" ", packages);
        if (!isRoot()) {
            throw new LabException("the virtual board needs " + String.join(", ", missing.keySet())
                    + ", which this machine lacks", "install with: sudo " + install);
        }
        progress.accept("installing " + String.join(" ", packages) + " (apt-get install)");
        List<String> command = new java.util.ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300",
                "install", "-y", "-q", "--no-install-recommends"));
        command.addAll(packages);
        HostCommand.of(command).env("DEBIAN_FRONTEND", "noninteractive").timeout(Duration.ofMinutes(15))
                .check("installing " + String.join(" ", packages));
        for (String program : missing.keySet()) {
            if (HostCommand.find(program) == null) {
                throw new LabException(program + " is still missing after " + install);
            }
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uid() == 0;
    }

    private static long uid() {
        try {
            Object uid = java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).longValue();
        } catch (Exception e) {
            return -1;
        }
    }
}
