package org.kernelrig.virtualboard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads what {@code apt-cache depends} prints. */
final class AptCacheOutput {

    private AptCacheOutput() {
    }

    /** The packages of the {@code Depends:} and {@code PreDepends:} lines, virtual ones ({@code <name>}) left out. */
    static List<String> directDepends(String output) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            for (String prefix : List.of("Depends:", "PreDepends:", "|Depends:", "|PreDepends:")) {
                if (trimmed.startsWith(prefix)) {
                    String name = trimmed.substring(prefix.length()).strip();
                    if (!name.startsWith("<") && !name.isEmpty()) {
                        names.add(name);
                    }
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** The package names of a recursive listing: its unindented lines, virtual ones left out. */
    static List<String> packages(String output) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("<")) {
                names.add(line.strip());
            }
        }
        return new ArrayList<>(names);
    }
}
