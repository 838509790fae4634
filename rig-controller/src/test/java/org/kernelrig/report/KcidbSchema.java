package org.kernelrig.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;

/**
 * KernelCI's KCIDB I/O schema 5.3 as kcidb-io exports it (JSON Schema
 * draft-07, vendored under src/test/resources/kcidb/ with its source and
 * licence), with format checks on, as kcidb-io validates.
 *
 * <p>The schema's patterns are ECMAScript's: {@code [^\0]} (no NUL) is not
 * Java syntax, so each {@code \0} becomes {@code \x00} before Java compiles
 * the pattern; the patterns are otherwise the same in both dialects.
 */
public final class KcidbSchema {

    private static final JsonSchema SCHEMA = load();

    private KcidbSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = KcidbSchema.class.getResourceAsStream("/kcidb/kcidb-io.schema.v5.3.json")) {
            JsonNode schema = JsonReport.mapper().readTree(in);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                    .regularExpressionFactory(KcidbSchema::javaPattern).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema, config);
        } catch (IOException e) {
            throw new IllegalStateException("the vendored KCIDB schema is unreadable", e);
        }
    }

    /** An ECMAScript pattern as Java runs it: searched, like every JSON Schema pattern. */
    static RegularExpression javaPattern(String ecma) {
        StringBuilder java = new StringBuilder();
        for (int i = 0; i < ecma.length(); i++) {
            char c = ecma.charAt(i);
            if (c == '\\' && i + 1 < ecma.length()) {
                char next = ecma.charAt(++i);
                boolean nul = next == '0' && (i + 1 == ecma.length() || !Character.isDigit(ecma.charAt(i + 1)));
                java.append(nul ? "\\x00" : "\\" + next);
            } else {
                java.append(c);
            }
        }
        Pattern pattern = Pattern.compile(java.toString());
        return value -> pattern.matcher(value).find();
    }

    /** What is wrong with {@code json} by the schema; empty when it is valid. */
    public static List<String> problems(String json) throws IOException {
        return SCHEMA.validate(JsonReport.mapper().readTree(json)).stream().map(ValidationMessage::getMessage).sorted()
                .toList();
    }
}
