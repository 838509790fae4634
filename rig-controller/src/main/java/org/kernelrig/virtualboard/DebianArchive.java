package org.kernelrig.virtualboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.kernelrig.LabException;

/**
 * Debian's package archive as this machine's apt sees it: resolving names,
 * downloading packages (no root needed) and unpacking them.
 */
final class DebianArchive {

    private static final Path LISTS = Path.of("/var/lib/apt/lists");
    private static final List<String> ONLY_DEPENDS = List.of("--no-recommends", "--no-suggests", "--no-conflicts",
            "--no-breaks", "--no-replaces", "--no-enhances");

    /** Makes sure apt knows the archive's package lists, updating them once when root. */
    void ensureLists(java.util.function.Consumer<String> progress) throws LabException {
        if (hasLists()) {
            return;
        }
        if (!HostPackages.isRoot()) {
            throw new LabException("apt has no package lists, so the virtual board's packages cannot be found",
                    "run: sudo apt-get update");
        }
        progress.accept("apt has no package lists: apt-get update");
        HostCommand.of("apt-get", "-q", "update").timeout(Duration.ofMinutes(10)).check("apt-get update");
    }

    private static boolean hasLists() {
        try (Stream<Path> files = Files.list(LISTS)) {
            return files.anyMatch(f -> f.getFileName().toString().contains("_Packages"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The packages {@code name} depends on directly (virtual packages left out). */
    List<String> depends(String name) throws LabException {
        List<String> command = new ArrayList<>(List.of("apt-cache", "depends"));
        command.addAll(ONLY_DEPENDS);
        command.add(name);
        String out = HostCommand.of(command).timeout(Duration.ofMinutes(1)).check("looking up " + name).stdout();
        return AptCacheOutput.directDepends(out);
    }

    /** {@code name} and every package it needs, through all levels of Depends and Pre-Depends. */
    List<String> closure(String name) throws LabException {
        List<String> command = new ArrayList<>(List.of("apt-cache", "depends", "--recurse"));
        command.addAll(ONLY_DEPENDS);
        command.add(name);
        String out = HostCommand.of(command).timeout(Duration.ofMinutes(1)).check("looking up " + name).stdout();
        return AptCacheOutput.packages(out);
    }

    /** The versioned kernel package the metapackage {@code linux-image-amd64} points at now. */
    String currentKernelPackage() throws LabException {
        return depends("linux-image-amd64").stream().filter(p -> p.matches("linux-image-[0-9].*"))
                .findFirst().orElseThrow(() -> new LabException(
                        "linux-image-amd64 names no versioned kernel package in this machine's apt lists",
                        "run: sudo apt-get update"));
    }

    /** True when the archive knows a package of that name. */
    boolean has(String name) throws LabException {
        return HostCommand.of("apt-cache", "show", "--no-all-versions", name).timeout(Duration.ofMinutes(1)).run().ok();
    }

    /** Downloads {@code packages} into {@code directory}; returns the files. */
    List<Path> download(List<String> packages, Path directory) throws LabException {
        List<String> command = new ArrayList<>(List.of("apt-get", "-q"));
        if (HostPackages.isRoot()) {
            // apt's sandbox user cannot write a temporary folder that belongs to root
            command.addAll(List.of("-o", "APT::Sandbox::User=root"));
        }
        command.add("download");
        Set<String> unique = new LinkedHashSet<>(packages);
        command.addAll(unique);
        HostCommand.of(command).in(directory).timeout(Duration.ofMinutes(20))
                .check("downloading " + String.join(" ", unique));
        List<Path> files = new ArrayList<>();
        for (String name : unique) {
            files.add(find(directory, name));
        }
        return files;
    }

    private static Path find(Path directory, String name) throws LabException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(f -> f.getFileName().toString().startsWith(name + "_")
                    && f.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new LabException("apt-get download left no package file for " + name));
        } catch (IOException e) {
            throw new LabException("cannot list " + directory + ": " + e.getMessage());
        }
    }

    /** Unpacks the files of a package into {@code root}, as dpkg would install them there. */
    void unpack(Path deb, Path root) throws LabException {
        HostCommand.of("dpkg-deb", "-x", deb.toString(), root.toString()).timeout(Duration.ofMinutes(5))
                .check("unpacking " + deb.getFileName());
    }

    /** A field of a package file's control data, e.g. {@code Package}. */
    String field(Path deb, String field) throws LabException {
        return HostCommand.of("dpkg-deb", "-f", deb.toString(), field).timeout(Duration.ofMinutes(1))
                .check("reading " + deb.getFileName()).stdout().strip();
    }
}
