package org.kernelrig.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one YAML configuration file into a node tree that remembers where
 * every value stands, after the checks that a YAML parser does not make
 * readable: size, binary content, emptiness, several documents, duplicate keys.
 */
public final class YamlDocument {

    /** Configuration files are small; a larger one is almost certainly the wrong file. */
    public static final long MAX_BYTES = 1024 * 1024;

    private YamlDocument() {
    }

    /**
     * Loads {@code path} and returns its top-level mapping.
     *
     * @param display how the file is named in messages (as the user typed it)
     * @param what    what the file should hold, for messages ("board", "scenario")
     * @param expectedKeys a few keys of such a file, for the message about an empty one
     */
    public static YamlMapping load(Path path, String display, String what, String expectedKeys)
            throws InvalidConfigException {
        Location whole = new Location(display, 1, 1);
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new InvalidConfigException(new ConfigProblem(whole,
                        String.format(Locale.ROOT, "file is too large (%s); a %s file is at most 1 MiB",
                                humanSize(size), what),
                        "is this the right file?"));
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(new ConfigProblem(new Location(display, 0, 0), "no such file", null));
        } catch (IOException e) {
            throw new InvalidConfigException(new ConfigProblem(whole, "cannot read file: " + e.getMessage(), null));
        }
        String text = decodeText(bytes, display, what);
        return parse(text, display, what, expectedKeys);
    }

    /** Parses text already in memory; {@code display} names it in messages. */
    public static YamlMapping parse(String text, String display, String what, String expectedKeys)
            throws InvalidConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (isBlank(text)) {
            throw new InvalidConfigException(new ConfigProblem(new Location(display, 1, 1),
                    "file is empty; expected a " + what + ": a mapping with " + expectedKeys, null));
        }
        List<Node> documents = new ArrayList<>();
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below with both places
            options.setMaxAliasesForCollections(20);
            options.setNestingDepthLimit(40);
            for (Node document : new Yaml(options).composeAll(new StringReader(text))) {
                documents.add(document);
            }
        } catch (MarkedYAMLException e) {
            throw new InvalidConfigException(syntaxProblem(e, display));
        } catch (YAMLException e) {
            throw new InvalidConfigException(new ConfigProblem(new Location(display, 0, 0),
                    "YAML error: " + e.getMessage(), null));
        }
        documents.removeIf(d -> d == null);
        if (documents.isEmpty()) {
            throw new InvalidConfigException(new ConfigProblem(new Location(display, 1, 1),
                    "file is empty; expected a " + what + ": a mapping with " + expectedKeys, null));
        }
        if (documents.size() > 1) {
            throw new InvalidConfigException(new ConfigProblem(at(display, documents.get(1)),
                    "expected one YAML document, found " + documents.size(),
                    "put one " + what + " in each file and remove the '---' separator"));
        }
        Node root = documents.get(0);
        if (!(root instanceof MappingNode mapping)) {
            throw new InvalidConfigException(new ConfigProblem(at(display, root),
                    "expected a " + what + ": a mapping of keys to values (key: value), got " + describe(root),
                    "a " + what + " file has keys such as " + expectedKeys));
        }
        Problems problems = new Problems();
        checkDuplicateKeys(root, display, problems);
        problems.throwIfAny();
        return new YamlMapping(display, mapping, "", what);
    }

    static Location at(String display, Node node) {
        Mark mark = node.getStartMark();
        return new Location(display, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** A short description of what a node is, for "expected X, got Y" messages. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getTag().getValue().endsWith(":null")) {
            return "nothing";
        }
        String value = scalar.getValue();
        if (value.length() > 40) {
            value = value.substring(0, 37) + "...";
        }
        return "'" + value + "'";
    }

    private static void checkDuplicateKeys(Node node, String display, Problems problems) {
        if (node instanceof MappingNode mapping) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    Node first = seen.putIfAbsent(key.getValue(), key);
                    if (first != null) {
                        problems.add(at(display, key), "duplicate key '" + key.getValue()
                                + "' (first at line " + (first.getStartMark().getLine() + 1) + ")",
                                "remove one of them");
                    }
                }
                checkDuplicateKeys(tuple.getValueNode(), display, problems);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                checkDuplicateKeys(item, display, problems);
            }
        }
    }

    private static ConfigProblem syntaxProblem(MarkedYAMLException e, String display) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Location where = mark == null ? new Location(display, 0, 0)
                : new Location(display, mark.getLine() + 1, mark.getColumn() + 1);
        String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
        if (problem.contains("\\t") || problem.contains("\t")) {
            return new ConfigProblem(where, "YAML syntax error: a tab character is not allowed here",
                    "YAML indents with spaces only: replace the tab with spaces");
        }
        String hint = null;
        if (e.getContext() != null && e.getContextMark() != null && e.getContextMark() != mark) {
            hint = e.getContext() + " (started at line " + (e.getContextMark().getLine() + 1)
                    + ", column " + (e.getContextMark().getColumn() + 1) + ")";
        }
        return new ConfigProblem(where, "YAML syntax error: " + problem.replaceAll("\\s+", " ").trim(), hint);
    }

    private static String decodeText(byte[] bytes, String display, String what) throws InvalidConfigException {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new InvalidConfigException(new ConfigProblem(locate(bytes, i, display),
                        "not a text file (a NUL byte at offset " + i + "); expected a YAML " + what,
                        "is this the right file?"));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes);
            throw new InvalidConfigException(new ConfigProblem(locate(bytes, bad, display),
                    String.format(Locale.ROOT, "not valid UTF-8 (byte 0x%02x at offset %d)", bytes[bad] & 0xff, bad),
                    "save the file as UTF-8"));
        }
    }

    /** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
    private static int firstInvalidUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xff;
            int length = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3
                    : lead >= 0xF0 && lead < 0xF5 ? 4 : 0;
            if (length == 0 || i + length > bytes.length) {
                return i;
            }
            for (int k = 1; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return Math.max(0, bytes.length - 1);
    }

    private static Location locate(byte[] bytes, int offset, String display) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else if ((bytes[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return new Location(display, line, column);
    }

    private static boolean isBlank(String text) {
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.equals("---") && !trimmed.equals("...")) {
                return false;
            }
        }
        return true;
    }

    static String humanSize(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
