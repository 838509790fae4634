package org.kernelrig.symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where a kernel's debug info is: a vmlinux with DWARF, and modules
 * ({@code NAME.ko}, found by name in folders, or given one by one).
 * Pointed at Debian's layout ({@code /usr/lib/debug}, from the
 * {@code linux-image-RELEASE-dbg} package) it takes
 * {@code boot/vmlinux-RELEASE} and {@code lib/modules/RELEASE/} for the
 * release of the kernel that crashed; a vmlinux at
 * {@code .../boot/vmlinux-RELEASE} brings its modules folder along.
 */
public final class DebugInfo {

    public static final DebugInfo NONE = new DebugInfo(null, List.of(), Map.of());

    /** Bounds the search of a modules folder: Debian's has about 4,000 modules. */
    private static final int MAX_FILES = 200_000;
    private static final int MAX_DEPTH = 12;

    private final Path vmlinux;
    private final List<Path> moduleDirs;
    private final Map<String, Path> modules;
    private final Map<Path, Map<String, Path>> moduleIndex = new ConcurrentHashMap<>();

    private DebugInfo(Path vmlinux, List<Path> moduleDirs, Map<String, Path> modules) {
        this.vmlinux = vmlinux;
        this.moduleDirs = List.copyOf(moduleDirs);
        this.modules = Map.copyOf(modules);
    }

    /**
     * Debug info from a vmlinux (or a Debian debug root such as {@code /usr/lib/debug}) and a modules
     * folder; either may be null.
     */
    public static DebugInfo of(Path vmlinux, Path modulesDir) {
        return new DebugInfo(vmlinux, modulesDir == null ? List.of() : List.of(modulesDir), Map.of());
    }

    /** The same, with one module's file given directly ({@code lkdtm} from a virtual board's image). */
    public DebugInfo withModule(String name, Path file) {
        Map<String, Path> more = new HashMap<>(modules);
        more.put(moduleName(name), file);
        return new DebugInfo(vmlinux, moduleDirs, more);
    }

    public boolean isEmpty() {
        return vmlinux == null && moduleDirs.isEmpty() && modules.isEmpty();
    }

    /** What is wrong with the paths, for a command line or an inventory file; empty when they can be read. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (vmlinux != null && !Files.isReadable(vmlinux)) {
            problems.add(vmlinux + ": " + (Files.exists(vmlinux) ? "cannot be read" : "no such file or folder"));
        } else if (vmlinux != null && Files.isRegularFile(vmlinux)) {
            try {
                if (!ElfSymbols.read(vmlinux).hasDebugInfo()) {
                    problems.add(vmlinux + ": has no line information (a vmlinux built without debug info, or stripped)");
                }
            } catch (IOException e) {
                problems.add(vmlinux + ": not a vmlinux with debug info: " + e.getMessage());
            }
        } else if (vmlinux != null && !Files.isDirectory(vmlinux.resolve("boot"))) {
            problems.add(vmlinux + ": a folder, but not in Debian's debug layout (no boot/vmlinux-RELEASE): give the "
                    + "vmlinux file, or /usr/lib/debug");
        }
        for (Path dir : moduleDirs) {
            if (!Files.isDirectory(dir)) {
                problems.add(dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
            }
        }
        return problems;
    }

    /** The vmlinux of that release (null when unknown), or why there is none. */
    Lookup vmlinux(String release) {
        if (vmlinux == null) {
            return Lookup.missing("no vmlinux with debug info was given");
        }
        if (Files.isDirectory(vmlinux)) {
            if (release == null) {
                return Lookup.missing("the kernel release is unknown, so " + vmlinux + "/boot/vmlinux-RELEASE cannot be chosen");
            }
            Path file = vmlinux.resolve("boot/vmlinux-" + release);
            return Files.isRegularFile(file) ? Lookup.found(file)
                    : Lookup.missing("no " + file + " (install linux-image-" + release + "-dbg)");
        }
        return Lookup.found(vmlinux);
    }

    /** The file of a module ({@code lkdtm}, {@code snd_hda_intel}: names as the kernel prints them). */
    Lookup module(String name, String release) {
        String key = moduleName(name);
        if (modules.containsKey(key)) {
            return Lookup.found(modules.get(key));
        }
        List<Path> dirs = moduleDirs(release);
        if (dirs.isEmpty()) {
            return Lookup.missing("no modules folder was given for " + name);
        }
        for (Path dir : dirs) {
            Path file = index(dir).get(key);
            if (file != null) {
                return Lookup.found(file);
            }
        }
        return Lookup.missing("no " + name + ".ko in " + dirs.get(0));
    }

    private List<Path> moduleDirs(String release) {
        List<Path> dirs = new ArrayList<>(moduleDirs);
        if (vmlinux != null && release != null) {
            Path root = Files.isDirectory(vmlinux) ? vmlinux
                    : vmlinux.getFileName().toString().startsWith("vmlinux-") && vmlinux.getParent() != null
                            && vmlinux.getParent().getFileName() != null
                            && vmlinux.getParent().getFileName().toString().equals("boot")
                                    ? vmlinux.getParent().getParent() : null;
            Path debian = root == null ? null : root.resolve("lib/modules/" + release);
            if (debian != null && Files.isDirectory(debian) && !dirs.contains(debian)) {
                dirs.add(debian);
            }
        }
        return dirs;
    }

    /** Module name to file, for every {@code .ko} below a folder; the kernel spells {@code -} as {@code _}. */
    private Map<String, Path> index(Path dir) {
        return moduleIndex.computeIfAbsent(dir, d -> {
            Map<String, Path> found = new LinkedHashMap<>();
            try (Stream<Path> walk = Files.walk(d, MAX_DEPTH)) {
                walk.limit(MAX_FILES).filter(p -> p.getFileName().toString().endsWith(".ko"))
                        .forEach(p -> found.putIfAbsent(moduleName(p.getFileName().toString().replaceFirst("\\.ko$", "")), p));
            } catch (IOException | java.io.UncheckedIOException e) {
                // an unreadable folder holds no module we can use; the frame says its module was not found
            }
            return found;
        });
    }

    private static String moduleName(String name) {
        return name.replace('-', '_');
    }

    /** What the report says it used. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (vmlinux != null) {
            parts.add("vmlinux " + vmlinux);
        }
        moduleDirs.forEach(d -> parts.add("modules " + d));
        modules.forEach((name, file) -> parts.add(name + " " + file));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** A file found, or why not. */
    record Lookup(Path file, String problem) {
        static Lookup found(Path file) {
            return new Lookup(file, null);
        }

        static Lookup missing(String problem) {
            return new Lookup(null, problem);
        }

        Optional<Path> path() {
            return Optional.ofNullable(file);
        }
    }
}
