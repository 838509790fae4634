package org.kernelrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JsonReportReadTest {

    @Test
    void aReportReadsBackAsItWasWrittenAndLaterFieldsAreIgnored() throws IOException {
        RunReport report = ReportWritersTest.report(Outcome.FAIL);
        String json = JsonReport.render(report).replaceFirst("\\{", "{\"addedLater\": {\"x\": 1},");

        assertEquals(report, JsonReport.read(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void whatIsNotARunReportIsRefusedWithAReason() {
        String json = JsonReport.render(ReportWritersTest.report(Outcome.PASS));

        assertEquals("not a JSON object", refused("\"just a string\""));
        assertTrue(refused("{\"schema\": \"rig-suite-report/1\"}").startsWith("not a rig run report (schema "
                + "'rig-suite-report/1', expected 'rig-run-report/1')"));
        assertTrue(refused(json.replace("\"runId\" : \"20261124-080000-sysrq-panic-qemu-x86_64\",", ""))
                .startsWith("incomplete run report"));
        assertTrue(refused(json.replace("\"crashes\" : [", "\"crashes\" : 7, \"x\": [")).startsWith("malformed run report"));
        assertThrows(IOException.class, () -> JsonReport.read(json.substring(0, 200).getBytes(StandardCharsets.UTF_8)));
    }

    private static String refused(String text) {
        return assertThrows(IOException.class, () -> JsonReport.read(text.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
