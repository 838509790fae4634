package org.kernelrig.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** {@code report.json}: the whole {@link RunReport}; times in ISO 8601, durations in seconds. */
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
}
