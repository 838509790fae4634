package org.kernelrig.report;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * {@code report.json}: the whole {@link RunReport}; times in ISO 8601, durations in seconds.
 * {@link #read} takes one back, for comparing runs.
 */
public final class JsonReport {

    /** Names the layout, so that readers can tell versions apart. */
    public static final String SCHEMA = "rig-run-report/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String render(RunReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.setAll((ObjectNode) MAPPER.valueToTree(report));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run report is always serialisable", e);
        }
    }

    /**
     * Reads a {@code report.json} back. Fields a later version adds are
     * ignored; anything that is not a run report of this schema, or lacks
     * what identifies a run (id, scenario, board, times, outcome), is refused.
     *
     * @throws IOException with a short reason when the text is not such a report
     */
    public static RunReport read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        JsonNode schema = root.get("schema");
        if (schema == null || !SCHEMA.equals(schema.asText())) {
            throw new IOException("not a rig run report (schema " + (schema == null ? "missing" : "'" + schema.asText() + "'")
                    + ", expected '" + SCHEMA + "')");
        }
        RunReport report;
        try {
            report = MAPPER.readerFor(RunReport.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(root);
        } catch (JsonProcessingException e) {
            throw new IOException("malformed run report: " + e.getOriginalMessage(), e);
        }
        if (report.runId() == null || report.scenario() == null || report.scenario().name() == null
                || report.board() == null || report.board().name() == null || report.started() == null
                || report.ended() == null || report.outcome() == null) {
            throw new IOException("incomplete run report: it lacks the run id, scenario, board, times or outcome");
        }
        return report;
    }
}
