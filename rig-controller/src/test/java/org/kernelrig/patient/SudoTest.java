package org.kernelrig.patient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.testing.RequiredTool;

/**
 * A board logged into as a non-root user: privileged commands go through
 * the real {@code sudo -n}. The SSH server runs each command as a real Unix
 * user; one may use sudo without a password, the other may not.
 */
class SudoTest {

    private static final String WITH_SUDO = "rigsudo";
    private static final String WITHOUT_SUDO = "rignosudo";
    private static final Path SUDOERS = Path.of("/etc/sudoers.d/rig-test");

    @TempDir
    static Path dir;

    @BeforeAll
    static void users() throws Exception {
        RequiredTool.requireRoot("creating test users");
        RequiredTool.require("sudo", "sudo");
        for (String user : new String[] {WITH_SUDO, WITHOUT_SUDO}) {
            if (run("id", "-u", user) != 0) {
                assertEquals(0, run("useradd", "--no-create-home", "--shell", "/bin/sh", user));
            }
        }
        Files.writeString(SUDOERS, WITH_SUDO + " ALL=(ALL) NOPASSWD: ALL\n");
        Files.setPosixFilePermissions(SUDOERS, PosixFilePermissions.fromString("r--r-----"));
        // The users run the commands: they must be able to reach the test's folder.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        Files.deleteIfExists(SUDOERS);
    }

    @Test
    void privilegedCommandsRunAsRootThroughSudo() throws Exception {
        try (TestSshServer server = new TestSshServer(dir.resolve("a"), WITH_SUDO)) {
            server.trustHostKey();
            try (SshPatient patient = SshPatient.connect(server.target(WITH_SUDO, true, server.clientKey, null))) {
                assertEquals(WITH_SUDO, patient.run("id -un", Duration.ofSeconds(10)).output());
                assertEquals("0", patient.runAsRoot("id -u", Duration.ofSeconds(10)).output());
                assertEquals("it's quoted", patient.runAsRoot("echo \"it's quoted\"", Duration.ofSeconds(10)).output());
            }
        }
    }

    @Test
    void aUserWithoutPasswordlessSudoGetsTheRuleToAdd() throws Exception {
        try (TestSshServer server = new TestSshServer(dir.resolve("b"), WITHOUT_SUDO)) {
            server.trustHostKey();
            try (SshPatient patient = SshPatient.connect(server.target(WITHOUT_SUDO, true, server.clientKey, null))) {
                LabException refused = assertThrows(LabException.class,
                        () -> patient.runAsRoot("id -u", Duration.ofSeconds(10)));

                assertTrue(refused.getMessage().contains("user " + WITHOUT_SUDO + " cannot run sudo without a password"),
                        refused.getMessage());
                assertTrue(refused.hint().contains(WITHOUT_SUDO + " ALL=(ALL) NOPASSWD: ALL"), refused.hint());
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
