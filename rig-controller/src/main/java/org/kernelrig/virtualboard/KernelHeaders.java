package org.kernelrig.virtualboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's kernel headers unpacked outside {@code /}: their Makefile and some
 * links name absolute paths under {@code /usr/src}, which are made to point
 * into the unpacked tree instead, so {@code make -C} works there.
 */
final class KernelHeaders {

    private KernelHeaders() {
    }

    /**
     * The compiler the kernel was built with, which out-of-tree modules must use
     * too: Debian's headers name it in {@code .kernelvariables} (e.g. {@code gcc-12},
     * also the name of its package).
     */
    static String compiler(Path headerTree) throws IOException {
        Path variables = headerTree.resolve(".kernelvariables");
        if (Files.isRegularFile(variables)) {
            Matcher matcher = Pattern.compile("\\bgcc-[0-9]+\\b").matcher(Files.readString(variables));
            if (matcher.find()) {
                return matcher.group();
            }
        }
        return "gcc";
    }

    static void relocate(Path root, Path headerTree) throws IOException {
        Path makefile = headerTree.resolve("Makefile");
        String text = Files.readString(makefile);
        Files.writeString(makefile, text.replace("include /usr/src/", "include " + root.resolve("usr/src") + "/"));
        List<Path> links;
        try (Stream<Path> walk = Files.walk(root.resolve("usr/src"))) {
            links = walk.filter(Files::isSymbolicLink).toList();
        }
        for (Path link : links) {
            Path target = Files.readSymbolicLink(link);
            if (target.isAbsolute()) {
                Files.delete(link);
                Files.createSymbolicLink(link, root.resolve(target.toString().substring(1)));
            }
        }
        if (!Files.exists(headerTree.resolve("scripts"), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the headers in " + headerTree + " have no scripts folder");
        }
    }
}
