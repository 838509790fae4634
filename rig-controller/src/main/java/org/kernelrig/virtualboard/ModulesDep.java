package org.kernelrig.virtualboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kernel's {@code modules.dep}, as depmod writes it: each module file with
 * the files it needs. Answers which files a set of modules needs in all.
 */
final class ModulesDep {

    private final Map<String, String> fileByName;
    private final Map<String, List<String>> needsByFile;

    private ModulesDep(Map<String, String> fileByName, Map<String, List<String>> needsByFile) {
        this.fileByName = fileByName;
        this.needsByFile = needsByFile;
    }

    /** Reads the text of a {@code modules.dep} file. */
    static ModulesDep parse(String text) {
        Map<String, String> fileByName = new LinkedHashMap<>();
        Map<String, List<String>> needsByFile = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String file = line.substring(0, colon).strip();
            String rest = line.substring(colon + 1).strip();
            needsByFile.put(file, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
            fileByName.put(moduleName(file), file);
        }
        return new ModulesDep(fileByName, needsByFile);
    }

    /** The module name of a file: {@code kernel/drivers/usb/storage/usb-storage.ko.xz} is {@code usb_storage}. */
    static String moduleName(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        base = base.replaceFirst("\\.ko(\\.(xz|gz|zst))?$", "");
        return base.replace('-', '_');
    }

    /** The file of a module, by name ({@code -} and {@code _} are the same in module names), or null. */
    String file(String module) {
        return fileByName.get(module.replace('-', '_'));
    }

    /**
     * The files of {@code modules} and of every module they need. Modules that
     * are not there (e.g. built into this kernel) are listed in {@code missing}.
     */
    Set<String> filesFor(List<String> modules, List<String> missing) {
        Set<String> files = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String module : modules) {
            String file = file(module);
            if (file == null) {
                missing.add(module);
            } else {
                pending.add(file);
            }
        }
        while (!pending.isEmpty()) {
            String file = pending.poll();
            if (files.add(file)) {
                pending.addAll(needsByFile.getOrDefault(file, List.of()));
            }
        }
        return files;
    }

    List<String> files() {
        return new ArrayList<>(needsByFile.keySet());
    }
}
