package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.patient.CommandResult;
import org.kernelrig.patient.Patient;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.TestSshServer;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSettings;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;

/** A run's failure paths that need no kernel: SSH lost while capturing, the wrong kernel on the board. */
class CaptureFailuresTest {

    @TempDir
    Path dir;

    /** Takes the trigger and runs nothing: the trigger's command must not reach this machine's kernel. */
    static final class TriggerSink implements Patient {
        final List<String> launched = new ArrayList<>();

        @Override
        public String board() {
            return "bench";
        }

        @Override
        public CommandResult run(String command, Duration limit) {
            return new CommandResult(command, 0, "", "", Duration.ZERO, false);
        }

        @Override
        public CommandResult runAsRoot(String command, Duration limit) {
            return run(command, limit);
        }

        @Override
        public void launchAsRoot(String command) {
            launched.add(command);
        }

        @Override
        public void writeFileAsRoot(String path, String content, Duration limit) {
        }

        @Override
        public void uploadAsRoot(Path local, String path, Duration limit) {
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private Board board(TestSshServer server) throws Exception {
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, String.join("\n",
                server.boardSsh(),
                "power: {driver: command, on: \"true\", off: \"true\"}",
                "doctor: {address: 127.0.0.1, port: 6683}", ""));
        return BoardFile.load(file, "bench.yaml");
    }

    @Test
    void sshLostWithNoLiveWitnessEndsTheCaptureAtOnceAsASilentBoard() throws Exception {
        Scenario scenario = SuiteRetryTest.scenario(dir, "silent", String.join("\n",
                "trigger: {command: \"echo c > /proc/sysrq-trigger\"}", "expect: no-crash", "limits: {capture: 30s}", ""),
                null);
        TestSshServer server = new TestSshServer(dir.resolve("sshd"), null);
        server.trustHostKey();
        Board board = board(server);
        ReportFolder folder = new ReportFolder(dir.resolve("report"), KcidbReport.withoutIssues(KcidbSettings.DEFAULTS,
                null));
        RunLog log = new RunLog(folder.file("run.log"), RunListener.SILENT);
        List<String> warnings = new ArrayList<>();
        Witnesses witnesses = new Witnesses(board, folder, RunListener.SILENT, log, warnings::add);
        try (BoardLifecycle lifecycle = BoardLifecycle.open(board, null, m -> { }, log::write)) {
            lifecycle.switchOnIfOff();
            lifecycle.login(null, Duration.ofSeconds(5));
            CrashCapture capture = new CrashCapture(scenario, board, witnesses, "run-1");
            TriggerSink sink = new TriggerSink();

            capture.trigger(sink);
            CompletableFuture<String> captured = CompletableFuture.supplyAsync(() -> {
                try {
                    return capture.capture(lifecycle, warnings::add);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            server.close();

            assertEquals("no live witness; the board stopped answering; 0 crashes", captured.get(10, TimeUnit.SECONDS));
            assertEquals(1, sink.launched.size());
            assertTrue(sink.launched.get(0).contains("trigger run-1"), sink.launched.get(0));
            assertEquals(List.of(), warnings);
        } finally {
            log.close();
        }
    }

    @Test
    void aBoardOnAnotherKernelIsALabErrorNamingThePattern() throws Exception {
        Scenario scenario = SuiteRetryTest.scenario(dir, "pinned", String.join("\n",
                "kernel: {release: \"^6\\\\.12\\\\.\"}", "trigger: {sysrq: c}",
                "expect: {crash: panic}", ""), null);
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, "ssh: {host: 192.0.2.10}\npower: {driver: command, on: \"true\", off: \"true\"}\n");
        Board board = BoardFile.load(file, "bench.yaml");
        PatientFacts facts = new PatientFacts("6.1.0-56-amd64", "#1 SMP Debian", "x86_64", 4, List.of(), null, null);

        LabException wrong = assertThrows(LabException.class, () -> ExpectedKernel.check(scenario, board, null, facts));

        assertEquals("board bench runs kernel 6.1.0-56-amd64, which does not match kernel.release /^6\\.12\\./",
                wrong.getMessage());
        assertEquals("boot the kernel under test first", wrong.hint());
    }
    @Test
    void aDoctorPortHeldByAnotherProgramIsALabErrorAndTheReportCountsNoReceiver() throws Exception {
        try (java.net.DatagramSocket holder = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            TestSshServer server = new TestSshServer(dir.resolve("sshd"), null);
            server.trustHostKey();
            Path file = dir.resolve("held.yaml");
            Files.writeString(file, String.join("\n",
                    server.boardSsh(),
                    "power: {driver: command, on: \"true\", off: \"true\"}",
                    "netconsole: {source-ip: 127.0.0.1}",
                    "doctor: {address: 127.0.0.1, port: " + holder.getLocalPort() + "}", ""));
            Board board = BoardFile.load(file, "held.yaml");
            ReportFolder folder = new ReportFolder(dir.resolve("report"),
                    KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, null));
            RunLog log = new RunLog(folder.file("run.log"), RunListener.SILENT);
            Witnesses witnesses = new Witnesses(board, folder, RunListener.SILENT, log, m -> { });
            PatientFacts facts = new PatientFacts("6.1.0-56-amd64", "#1 SMP Debian", "x86_64", 4, List.of(), null, null);
            try (BoardLifecycle lifecycle = BoardLifecycle.open(board, null, m -> { }, log::write)) {
                lifecycle.switchOnIfOff();
                lifecycle.login(null, Duration.ofSeconds(5));

                LabException held = assertThrows(LabException.class, () -> witnesses.startNetconsole(lifecycle, facts,
                        null, Duration.ofSeconds(5), m -> { }, log));

                assertTrue(held.getMessage().startsWith("cannot listen on UDP"), held.getMessage());
                RunReport.WitnessStats stats = witnesses.netconsoleStats(true);
                assertFalse(stats.enabled());
                assertEquals(-1, witnesses.lostBeforeRead());
            } finally {
                witnesses.stop();
                log.close();
                server.close();
            }
        }
    }
}
