package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rig run's --origin and --reports-url: what KCIDB would refuse is refused before anything starts. */
class KcidbOptionsTest {

    @TempDir
    Path dir;

    @Test
    void anOriginKcidbWouldRefuseIsBadUsage() {
        RigRunner.Result rig = RigRunner.run("run", "../scenarios/sysrq-panic.yaml", "--origin", "My Lab", "--reports",
                dir.resolve("reports").toString());

        assertEquals(ExitCodes.INVALID, rig.exitCode(), rig.err());
        assertTrue(rig.err().contains("--origin: the origin must be lower case letters, digits and '_' (KCIDB's rule), "
                + "got 'My Lab'"), rig.err());
        assertFalse(Files.exists(dir.resolve("reports")), "nothing started");
    }

    @Test
    void aRelativeReportsUrlIsBadUsage() {
        RigRunner.Result rig = RigRunner.run("run", "../scenarios/sysrq-panic.yaml", "--reports-url", "artifacts/out",
                "--reports", dir.resolve("reports").toString());

        assertEquals(ExitCodes.INVALID, rig.exitCode(), rig.err());
        assertTrue(rig.err().contains("--reports-url: the reports URL must be absolute (https://...), got "
                + "'artifacts/out'"), rig.err());
        assertFalse(Files.exists(dir.resolve("reports")), "nothing started");
    }
}
