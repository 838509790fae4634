package org.kernelrig.symbols;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Source lines of code addresses, from GNU addr2line (Debian's binutils).
 * All addresses of one object file and section go to one addr2line process
 * on its standard input: loading a vmlinux's DWARF takes seconds, a lookup
 * microseconds. Inlined code comes back as a chain, innermost first.
 */
public final class Symbolizer {

    /** The tool, found on the PATH. */
    public static final String TOOL = "addr2line";
    /** Reading a distribution vmlinux's DWARF is slow on a loaded machine, but not this slow. */
    private static final Duration TIME_LIMIT = Duration.ofMinutes(3);
    private static final int MAX_OUTPUT = 16 << 20;

    /**
     * A code address in an object file.
     *
     * @param section for a relocatable module, the section the address is an offset in; null for an address
     *                of a linked image (a vmlinux)
     */
    public record CodeAddress(Path object, String section, long address) {
    }

    private final Path tool;

    private Symbolizer(Path tool) {
        this.tool = tool;
    }

    /** The symbolizer with addr2line from the PATH, if there is one. */
    public static Optional<Symbolizer> find() {
        String path = System.getenv("PATH");
        for (String dir : (path == null || path.isBlank() ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, TOOL);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new Symbolizer(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * The source locations of each address, innermost first; an address
     * addr2line knows nothing of maps to an empty list.
     *
     * @throws IOException when addr2line fails on an object file
     */
    public Map<CodeAddress, List<SourceLocation>> resolve(Collection<CodeAddress> addresses)
            throws IOException, InterruptedException {
        Map<List<Object>, List<CodeAddress>> batches = new LinkedHashMap<>();
        for (CodeAddress address : addresses) {
            batches.computeIfAbsent(java.util.Arrays.asList(address.object(), address.section()), k -> new ArrayList<>())
                    .add(address);
        }
        Map<CodeAddress, List<SourceLocation>> found = new HashMap<>();
        for (List<CodeAddress> batch : batches.values()) {
            found.putAll(run(batch));
        }
        return found;
    }

    private Map<CodeAddress, List<SourceLocation>> run(List<CodeAddress> batch) throws IOException, InterruptedException {
        CodeAddress first = batch.get(0);
        List<String> command = new ArrayList<>(List.of(tool.toString(), "--addresses", "--functions", "--inlines",
                "--demangle", "-e", first.object().toString()));
        if (first.section() != null) {
            command.add("-j");
            command.add(first.section());
        }
        Path input = Files.createTempFile("rig-addresses-", ".txt");
        try {
            StringBuilder text = new StringBuilder();
            batch.forEach(a -> text.append(hex(a.address())).append('\n'));
            Files.writeString(input, text, StandardCharsets.US_ASCII);
            Process process = new ProcessBuilder(command).redirectInput(input.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output;
            try (InputStream out = process.getInputStream()) {
                output = new String(out.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
                out.transferTo(java.io.OutputStream.nullOutputStream());
            } finally {
                if (!process.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(TOOL + " took longer than " + TIME_LIMIT.toMinutes() + " minutes on "
                            + first.object());
                }
            }
            if (process.exitValue() != 0) {
                throw new IOException(TOOL + " failed on " + first.object() + " (exit " + process.exitValue() + ")");
            }
            return parse(batch, output);
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /** Reads {@code 0xADDRESS} lines, each followed by pairs of a function line and a {@code file:line} line. */
    static Map<CodeAddress, List<SourceLocation>> parse(List<CodeAddress> batch, String output) {
        Map<CodeAddress, List<SourceLocation>> found = new HashMap<>();
        int next = 0;
        List<SourceLocation> current = null;
        String function = null;
        for (String line : output.split("\n")) {
            if (next < batch.size() && isAddress(line, batch.get(next).address())) {
                current = new ArrayList<>();
                found.put(batch.get(next++), current);
                function = null;
            } else if (current != null && function == null) {
                function = line;
            } else if (current != null) {
                SourceLocation location = location(function, line);
                if (location.known()) {
                    current.add(location);
                }
                function = null;
            }
        }
        return found;
    }

    private static boolean isAddress(String line, long address) {
        if (!line.startsWith("0x")) {
            return false;
        }
        try {
            return Long.parseUnsignedLong(line.substring(2).strip(), 16) == address;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code /src/foo.c:42}, {@code foo.c:42 (discriminator 3)}, {@code ??:0} or {@code ??:?}. */
    private static SourceLocation location(String function, String text) {
        String place = text.strip();
        int discriminator = place.indexOf(" (discriminator ");
        if (discriminator >= 0) {
            place = place.substring(0, discriminator);
        }
        int colon = place.lastIndexOf(':');
        String name = function == null || function.equals("??") ? null : function.strip();
        if (colon <= 0) {
            return new SourceLocation(name, null, 0);
        }
        String file = place.substring(0, colon);
        int line;
        try {
            line = Integer.parseInt(place.substring(colon + 1));
        } catch (NumberFormatException e) {
            line = 0;
        }
        return new SourceLocation(name, file.equals("??") ? null : file, line);
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address).toLowerCase(Locale.ROOT);
    }
}
