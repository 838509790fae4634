package org.kernelrig.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel log with its expected analysis, in syzkaller's test file format: header lines
 * {@code NAME: value}, an empty line, the log, and optionally an empty line, {@code REPORT:} and an
 * excerpt that is not part of the log. Carriage returns are kept in the log when the header says
 * {@code KEEP-CR: Y}, otherwise removed.
 */
record LogCase(Path file, Map<String, List<String>> headers, List<String> log) {

    static LogCase read(Path file) throws IOException {
        // Latin-1 maps every byte to one char: logs hold arbitrary bytes.
        String content = Files.readString(file, StandardCharsets.ISO_8859_1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        int i = 0;
        for (; i < lines.length; i++) {
            String line = lines[i].replace("\r", "");
            if (line.isEmpty()) {
                i++;
                break;
            }
            if (line.startsWith("#")) {
                continue; // a comment
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": header line without a colon: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        boolean keepCr = "Y".equals(first(headers, "KEEP-CR"));
        boolean previousEmpty = false;
        int end = lines.length;
        if (end > i && lines[end - 1].isEmpty()) {
            end--; // the newline that ends the file
        }
        for (; i < end; i++) {
            String line = keepCr ? lines[i] : lines[i].replace("\r", "");
            if (previousEmpty && line.equals("REPORT:")) {
                log.remove(log.size() - 1);
                break;
            }
            log.add(line);
            previousEmpty = line.isEmpty();
        }
        return new LogCase(file, headers, log);
    }

    static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String header(String name) {
        return first(headers, name);
    }

    List<String> all(String name) {
        return headers.getOrDefault(name, List.of());
    }

    String name() {
        return file.getFileName().toString();
    }
}
