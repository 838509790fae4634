package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.kernelrig.scenario.Lkdtm;

class LkdtmLiteTest {

    @Test
    void everyTypeIsOneOfLkdtmsNamesAndInTheModule() throws Exception {
        String source;
        try (InputStream in = LkdtmLite.class.getResourceAsStream("/org/kernelrig/virtualboard/lkdtm-lite/lkdtm_lite.c")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String type : LkdtmLite.CRASH_TYPES) {
            assertTrue(Lkdtm.CRASH_TYPES.contains(type), type + " is a name scenarios may give");
            assertTrue(source.contains("{ \"" + type + "\","), type + " is in the module's table");
        }
        assertTrue(source.contains("MODULE_LICENSE(\"GPL\")"));
        assertTrue(source.contains("\"provoke-crash\"") && source.contains("\"DIRECT\""), "LKDTM's path");
    }
}
