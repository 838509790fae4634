package org.kernelrig.suite;

import java.io.IOException;

import org.kernelrig.report.JsonReport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code summary.json}: a {@link SuiteReport} for programs, in the same
 * conventions as report.json (ISO 8601 times, durations in seconds).
 */
public final class SuiteJson {

    /** Names the layout, so that readers can tell versions apart. */
    public static final String SCHEMA = "rig-suite-report/1";

    private SuiteJson() {
    }

    public static String render(SuiteReport report) {
        ObjectNode root = JsonReport.mapper().createObjectNode();
        root.put("schema", SCHEMA);
        root.setAll((ObjectNode) JsonReport.mapper().valueToTree(report));
        try {
            return JsonReport.mapper().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a suite report is always serialisable", e);
        }
    }

    /** Reads a summary.json back; fields a later version adds are ignored. */
    public static SuiteReport read(byte[] json) throws IOException {
        JsonNode root = JsonReport.mapper().readTree(json);
        if (root == null || !root.isObject() || root.get("schema") == null
                || !SCHEMA.equals(root.get("schema").asText())) {
            throw new IOException("not a rig suite report (expected schema '" + SCHEMA + "')");
        }
        try {
            return JsonReport.mapper().readerFor(SuiteReport.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(root);
        } catch (JsonProcessingException e) {
            throw new IOException("malformed suite report: " + e.getOriginalMessage(), e);
        }
    }
}
