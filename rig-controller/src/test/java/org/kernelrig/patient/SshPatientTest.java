package org.kernelrig.patient;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.testing.RefusingPort;

/** SSH to a patient against a real SSH server: commands, host keys, keys, limits, lost connections. */
class SshPatientTest {

    @TempDir
    Path dir;

    TestSshServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestSshServer(dir, null);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void runsACommandWithItsOutputAndStatus() throws Exception {
        server.trustHostKey();
        try (SshPatient patient = SshPatient.connect(server.target())) {
            CommandResult result = patient.run("echo out; echo err >&2; exit 3", Duration.ofSeconds(10));

            assertEquals(3, result.exitStatus());
            assertEquals("out\n", result.stdout());
            assertEquals("err\n", result.stderr());
            assertFalse(result.truncated());
        }
    }

    @Test
    void quotedValuesReachTheShellAsText() throws Exception {
        server.trustHostKey();
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "still here");
        String hostile = "eth0'; rm -f " + victim + "; echo '$(id) `id` \"x\"";
        try (SshPatient patient = SshPatient.connect(server.target())) {
            CommandResult result = patient.run("printf '%s' " + ShellQuote.quote(hostile), Duration.ofSeconds(10));

            assertEquals(hostile, result.stdout());
            assertTrue(Files.exists(victim));
        }
    }

    @Test
    void writesAFileThroughStandardInput() throws Exception {
        server.trustHostKey();
        Path file = dir.resolve("written.conf");
        try (SshPatient patient = SshPatient.connect(server.target())) {
            patient.writeFileAsRoot(file.toString(), "options netconsole netconsole=@/eth0,6666@10.0.2.2/\n",
                    Duration.ofSeconds(10));
        }
        assertEquals("options netconsole netconsole=@/eth0,6666@10.0.2.2/\n", Files.readString(file));
    }

    @Test
    void uploadsABinaryFileByteForByte() throws Exception {
        server.trustHostKey();
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new java.util.Random(917206).nextBytes(content);
        Path local = Files.write(dir.resolve("kernel.deb"), content);
        Path remote = dir.resolve("uploaded.deb");
        try (SshPatient patient = SshPatient.connect(server.target())) {
            patient.uploadAsRoot(local, remote.toString(), Duration.ofSeconds(60));
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(content, Files.readAllBytes(remote));
    }

    @Test
    void unknownHostKeyIsRefusedWithItsFingerprintAndTheOptionThatAcceptsIt() throws Exception {
        LabException refused = assertThrows(LabException.class, () -> SshPatient.connect(server.target()));

        String fingerprint = fingerprintOfServer();
        assertTrue(refused.getMessage().contains("offered an unknown host key"), refused.getMessage());
        assertTrue(refused.getMessage().contains(fingerprint), refused.getMessage());
        assertTrue(refused.hint().contains("--accept-host-key " + fingerprint), refused.hint());
        assertFalse(Files.exists(server.knownHosts));
    }

    @Test
    void acceptedFingerprintIsRecordedAndThenCheckedStrictly() throws Exception {
        String fingerprint = fingerprintOfServer();
        try (SshPatient patient = SshPatient.connect(server.target("root", false, server.clientKey, fingerprint))) {
            assertTrue(patient.isConnected());
        }
        assertTrue(Files.readString(server.knownHosts).startsWith("[127.0.0.1]:" + server.port() + " "));
        try (SshPatient again = SshPatient.connect(server.target())) {
            assertEquals("ok", again.run("echo ok", Duration.ofSeconds(10)).output());
        }
    }

    @Test
    void aWrongFingerprintAcceptsNothing() {
        LabException refused = assertThrows(LabException.class,
                () -> SshPatient.connect(server.target("root", false, server.clientKey, "SHA256:notTheKey")));

        assertTrue(refused.getMessage().contains("unknown host key"), refused.getMessage());
    }

    @Test
    void changedHostKeyIsAlwaysRefused() throws Exception {
        // known_hosts holds another key for this address: the board changed, or someone is in the middle.
        Path otherKey = dir.resolve("other");
        TestSshServer.writeKeyPair(otherKey, dir.resolve("other.pub"));
        String otherPublic = Files.readString(dir.resolve("other.pub")).trim().replace(" rig-test", "");
        Files.writeString(server.knownHosts, "[127.0.0.1]:" + server.port() + " " + otherPublic + "\n");
        String fingerprint = fingerprintOfServer();

        LabException refused = assertThrows(LabException.class,
                () -> SshPatient.connect(server.target("root", false, server.clientKey, fingerprint)));

        assertTrue(refused.getMessage().contains("has CHANGED"), refused.getMessage());
        assertTrue(refused.getMessage().contains(fingerprint), refused.getMessage());
        assertTrue(refused.hint().contains("ssh-keygen -R '[127.0.0.1]:" + server.port() + "'"), refused.hint());
    }

    @Test
    void aKeyTheBoardDoesNotKnowIsRefusedNamingTheKeyTried() throws Exception {
        server.trustHostKey();
        Path stranger = dir.resolve("stranger");
        TestSshServer.writeKeyPair(stranger, null);

        LabException refused = assertThrows(LabException.class,
                () -> SshPatient.connect(server.target("root", false, stranger, null)));

        assertTrue(refused.getMessage().contains("refused the login"), refused.getMessage());
        assertTrue(refused.hint().contains(stranger.toString()), refused.hint());
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        try (RefusingPort closed = new RefusingPort()) {
            SshPatient.Target base = server.target();
            SshPatient.Target target = new SshPatient.Target(base.board(), base.host(), closed.port(), base.settings(),
                    null);

            LabException refused = assertThrows(LabException.class, () -> SshPatient.connect(target));

            assertTrue(refused.getMessage().contains("connection refused"), refused.getMessage());
            assertTrue(refused instanceof BoardUnreachableException, "worth waiting for: the board may be booting");
        }
    }

    @Test
    void aCommandThatHangsPastItsLimitIsALabError() throws Exception {
        server.trustHostKey();
        try (SshPatient patient = SshPatient.connect(server.target())) {
            long start = System.nanoTime();
            LabException hung = assertThrows(LabException.class, () -> patient.run("sleep 60", Duration.ofSeconds(1)));

            assertTrue(hung.getMessage().contains("did not finish within 1 s"), hung.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
            assertEquals("alive", patient.run("echo alive", Duration.ofSeconds(10)).output(),
                    "the connection survives a timed-out command");
        }
    }

    @Test
    void aConnectionThatDropsMidCommandIsALabError() throws Exception {
        server.trustHostKey();
        Path started = dir.resolve("started");
        try (SshPatient patient = SshPatient.connect(server.target())) {
            CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return patient.run("touch " + started + "; sleep 60", Duration.ofSeconds(60));
                } catch (LabException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));
            server.close();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof LabException, String.valueOf(failure.getCause()));
            assertTrue(failure.getCause().getMessage().contains("was lost while running"), failure.getCause().getMessage());
            assertFalse(patient.isConnected());
        }
    }

    @Test
    void outputIsBounded() throws Exception {
        server.trustHostKey();
        try (SshPatient patient = SshPatient.connect(server.target())) {
            CommandResult result = patient.run("head -c 6000000 /dev/zero", Duration.ofSeconds(30));

            assertTrue(result.truncated());
            assertEquals(SshPatient.MAX_OUTPUT, result.stdout().length());
        }
    }

    @Test
    void launchedCommandRunsAfterTheCommandReturned() throws Exception {
        server.trustHostKey();
        Path fired = dir.resolve("fired");
        try (SshPatient patient = SshPatient.connect(server.target())) {
            long start = System.nanoTime();
            patient.launchAsRoot("touch " + fired);
            assertFalse(Files.exists(fired), "started after a moment, so the SSH command returns first");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(fired));
    }

    private String fingerprintOfServer() throws Exception {
        String blob = server.hostKeyEntry().split(" ")[1];
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob));
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }
}
