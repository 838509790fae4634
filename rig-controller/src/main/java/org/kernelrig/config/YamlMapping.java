package org.kernelrig.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of a configuration file, read field by field. Each accessor
 * reports a wrong type, a bad value or a missing field to a {@link Problems}
 * list with the exact place and the dotted field name, and returns empty,
 * so that one pass over a file finds all its defects.
 */
public final class YamlMapping {

    private final String file;
    private final MappingNode node;
    private final String path;
    private final String what;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    YamlMapping(String file, MappingNode node, String path, String what) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.what = what;
        for (NodeTuple tuple : node.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                entries.putIfAbsent(key.getValue(), tuple);
            }
        }
    }

    /** The file as named in messages. */
    public String file() {
        return file;
    }

    /** Where this mapping starts. */
    public Location location() {
        return YamlDocument.at(file, node);
    }

    /** The dotted name of a field of this mapping, e.g. {@code power.channel}. */
    public String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** Where the value of {@code key} stands, or where this mapping starts when it is absent. */
    public Location locationOf(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? location() : YamlDocument.at(file, tuple.getValueNode());
    }

    /** Where the key itself stands. */
    public Location keyLocation(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? location() : YamlDocument.at(file, tuple.getKeyNode());
    }

    /**
     * Reports every key not in {@code allowed}, with the nearest valid key
     * when the unknown one looks like a typo of it.
     */
    public void allowOnly(Problems problems, Collection<String> allowed) {
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key)) {
                problems.add(YamlDocument.at(file, keyNode), "a key must be plain text, got "
                        + YamlDocument.describe(keyNode));
                continue;
            }
            if (!allowed.contains(key.getValue())) {
                String where = path.isEmpty() ? what : "'" + path + "'";
                Optional<String> nearest = Suggestions.nearest(key.getValue(), allowed);
                String hint = nearest.map(n -> "did you mean '" + n + "'? ").orElse("")
                        + "valid keys: " + String.join(", ", allowed);
                problems.add(YamlDocument.at(file, key), "unknown key '" + key.getValue() + "' in " + where, hint);
            }
        }
    }

    public void allowOnly(Problems problems, String... allowed) {
        allowOnly(problems, List.of(allowed));
    }

    /** Reports a missing required field at the start of this mapping. */
    public boolean require(Problems problems, String key, String expected) {
        if (has(key)) {
            return true;
        }
        // A key misspelt as something close to it is reported once, as the unknown key.
        if (entries.keySet().stream().anyMatch(k -> Suggestions.nearest(k, List.of(key)).isPresent())) {
            return false;
        }
        problems.add(location(), "missing required field " + field(key), "add " + key + ": " + expected);
        return false;
    }

    // ----- scalars -----

    /** A text value; numbers and booleans written plainly are taken as their text. */
    public Optional<String> string(Problems problems, String key) {
        Node value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof ScalarNode scalar && !isNull(scalar)) {
            return Optional.of(scalar.getValue());
        }
        problems.add(at(value), field(key) + " must be text, got " + YamlDocument.describe(value));
        return Optional.empty();
    }

    public Optional<String> requiredString(Problems problems, String key, String expected) {
        return require(problems, key, expected) ? string(problems, key) : Optional.empty();
    }

    /** A text value that must be one of {@code choices}. */
    public Optional<String> choice(Problems problems, String key, Collection<String> choices) {
        Optional<String> text = string(problems, key);
        if (text.isPresent() && !choices.contains(text.get())) {
            Optional<String> nearest = Suggestions.nearest(text.get(), choices);
            problems.add(locationOf(key), field(key) + " must be one of " + String.join(", ", choices)
                    + ", got '" + text.get() + "'", nearest.map(n -> "did you mean '" + n + "'?").orElse(null));
            return Optional.empty();
        }
        return text;
    }

    public OptionalInt integer(Problems problems, String key, int min, int max) {
        OptionalLong value = longValue(problems, key, min, max);
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    public OptionalLong longValue(Problems problems, String key, long min, long max) {
        Node value = value(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":int")) {
            try {
                long number = Long.decode(scalar.getValue().replace("_", ""));
                if (number >= min && number <= max) {
                    return OptionalLong.of(number);
                }
            } catch (NumberFormatException e) {
                // falls through to the range message
            }
            problems.add(at(value), field(key) + " must be " + min + ".." + max + ", got " + scalar.getValue());
            return OptionalLong.empty();
        }
        problems.add(at(value), field(key) + " must be a whole number from " + min + " to " + max
                + ", got " + YamlDocument.describe(value));
        return OptionalLong.empty();
    }

    public Optional<Boolean> bool(Problems problems, String key) {
        Node value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":bool")) {
            String text = scalar.getValue().toLowerCase(java.util.Locale.ROOT);
            return Optional.of(text.equals("true") || text.equals("yes") || text.equals("on") || text.equals("y"));
        }
        problems.add(at(value), field(key) + " must be true or false, got " + YamlDocument.describe(value));
        return Optional.empty();
    }

    public Optional<Duration> duration(Problems problems, String key) {
        Node value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value instanceof ScalarNode scalar && !isNull(scalar) ? scalar.getValue() : null;
        Optional<Duration> parsed = text == null ? Optional.empty() : Durations.parse(text);
        if (parsed.isEmpty()) {
            String got = text == null ? YamlDocument.describe(value) : "'" + text + "'";
            String hint = text != null && text.matches("\\d+") ? "add a unit: " + text + "s" : "for example 500ms, 30s, 5m, 1h30m";
            problems.add(at(value), field(key) + " must be a duration, got " + got, hint);
        }
        return parsed;
    }

    /** A size such as {@code 64M}, {@code 8G}, {@code 512K} or a plain number of bytes. */
    public OptionalLong size(Problems problems, String key) {
        Node value = value(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        String text = value instanceof ScalarNode scalar && !isNull(scalar) ? scalar.getValue() : null;
        OptionalLong parsed = text == null ? OptionalLong.empty() : Sizes.parse(text);
        if (parsed.isEmpty()) {
            problems.add(at(value), field(key) + " must be a size, got "
                    + (text == null ? YamlDocument.describe(value) : "'" + text + "'"), "for example 512K, 64M, 8G");
        }
        return parsed;
    }

    /** A regular expression, checked to compile. */
    public Optional<Pattern> regex(Problems problems, String key) {
        Optional<String> text = string(problems, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(text.get()));
        } catch (PatternSyntaxException e) {
            problems.add(locationOf(key), field(key) + " is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex(), "escape special characters with \\");
            return Optional.empty();
        }
    }

    /** A text value checked by {@code check}, which returns an error text or null. */
    public Optional<String> checked(Problems problems, String key, Function<String, String> check) {
        Optional<String> text = string(problems, key);
        if (text.isPresent()) {
            String error = check.apply(text.get());
            if (error != null) {
                problems.add(locationOf(key), field(key) + " " + error);
                return Optional.empty();
            }
        }
        return text;
    }

    // ----- collections -----

    public Optional<YamlMapping> mapping(Problems problems, String key) {
        Node value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof MappingNode mapping) {
            return Optional.of(new YamlMapping(file, mapping, field(key), what));
        }
        problems.add(at(value), field(key) + " must be a mapping (key: value lines indented below it), got "
                + YamlDocument.describe(value));
        return Optional.empty();
    }

    /** True when the value of {@code key} is a mapping (used for fields with a short and a long form). */
    public boolean isMapping(String key) {
        return value(key) instanceof MappingNode;
    }

    public Optional<List<String>> stringList(Problems problems, String key) {
        Node value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof SequenceNode sequence) {
            List<String> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar && !isNull(scalar)) {
                    items.add(scalar.getValue());
                } else {
                    problems.add(at(item), field(key) + " items must be text, got " + YamlDocument.describe(item));
                }
            }
            return Optional.of(items);
        }
        problems.add(at(value), field(key) + " must be a list, for example [a, b], got " + YamlDocument.describe(value));
        return Optional.empty();
    }

    // ----- internals -----

    private Node value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private Location at(Node value) {
        return YamlDocument.at(file, value);
    }

    private static boolean isNull(ScalarNode scalar) {
        return scalar.getTag().getValue().endsWith(":null");
    }
}
