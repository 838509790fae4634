package org.kernelrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The vendored schema refuses what KCIDB refuses: else a document passing it would prove nothing. */
class KcidbSchemaTest {

    @Test
    void theSmallestDocumentIsValid() throws Exception {
        assertEquals(List.of(), KcidbSchema.problems("{\"version\": {\"major\": 5, \"minor\": 3}}"));
    }

    @Test
    void whatKcidbRefusesIsRefused() throws Exception {
        String[] refused = {
            "{\"version\": {\"major\": 4, \"minor\": 3}}",
            "{\"version\": {\"major\": 5, \"minor\": 4}}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"origin\": \"rig\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"no-origin\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"Rig Lab\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"status\": \"BROKEN\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"path\": \"rig..x\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"log_excerpt\": \"" + "x".repeat(16385) + "\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"log_excerpt\": \"a\\u0000b\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"start_time\": \"yesterday\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"issues\": [{\"id\": \"rig:i\", \"origin\": \"rig\", "
                    + "\"version\": 0, \"report_url\": \"not a url\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"incidents\": [{\"id\": \"rig:n\", \"origin\": \"rig\", "
                    + "\"issue_id\": \"rig:i\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"board\": \"x\"}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"environment\": {\"board\": \"x\"}}]}",
            "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:1\", \"build_id\": \"rig:b\", "
                    + "\"origin\": \"rig\", \"comment\": null}]}",
        };
        for (String document : refused) {
            assertTrue(!KcidbSchema.problems(document).isEmpty(), "refused: " + document.substring(0,
                    Math.min(200, document.length())));
        }
    }
}
