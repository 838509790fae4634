package org.kernelrig.run;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.testing.RequiredTool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whole runs on the virtual board: a real Debian kernel under QEMU, real
 * netconsole, real panics, its serial console through jssc, QMP as the power
 * switch. One board serves every test, left on between runs as on a bench.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScenarioRunnerTest {

    @TempDir
    static Path dir;

    static Inventory inventory;
    static Board board;

    @BeforeAll
    static void tools() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        inventory = Inventory.load(Path.of("../inventory"));
        board = inventory.find("qemu-x86_64").orElseThrow();
    }

    @AfterAll
    static void switchOff() throws Exception {
        if (board != null) {
            Scenario off = scenario("off.yaml", "trigger: {command: 'true'}\nexpect: no-crash\nleave-board: off\n");
            run(off, board, ScenarioRunner.Options.defaults(dir.resolve("reports")));
        }
    }

    static Scenario scenario(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return ScenarioFile.load(file, name, inventory);
    }

    static ScenarioRunner.Result run(Scenario scenario, Board on, ScenarioRunner.Options options) throws IOException {
        return new ScenarioRunner(scenario, on, options, "test").run();
    }

    static ScenarioRunner.Options options(String folder) {
        return ScenarioRunner.Options.defaults(dir.resolve(folder));
    }

    @Test
    @Order(1)
    void theSysrqPanicIsSeenOnBothWitnessesAndTheBoardComesBack() throws Exception {
        Scenario scenario = ScenarioFile.load(Path.of("../scenarios/sysrq-panic.yaml"), "sysrq-panic.yaml", inventory);

        ScenarioRunner.Result result = run(scenario, board, options("pass"));

        RunReport report = result.report();
        assertEquals(Outcome.PASS, report.outcome(), report.reason());
        RunReport.CrashFinding crash = report.crashes().get(0);
        assertEquals("Kernel panic - not syncing: sysrq triggered crash", crash.headline());
        assertEquals(Set.of("netconsole", "serial", "pstore"), crash.witnesses(), "ramoops kept it too");
        assertTrue(crash.panicked() && crash.complete());
        assertTrue(report.recovery().boardBack(), String.valueOf(report.recovery()));
        assertEquals("warm reset", report.recovery().method(), "the board keeps its crash records in RAM");
        assertEquals(List.of("lock", "power-on", "serial", "connect", "netconsole", "trigger", "capture", "recover",
                "pstore"),
                report.phases().stream().map(RunReport.PhaseRecord::name).toList());
        for (String file : List.of("report.json", "report.html", "junit.xml", "summary.txt", "netconsole.log",
                "serial.log", "timeline.log", "run.log")) {
            assertTrue(Files.size(result.folder().resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(result.folder().resolve("netconsole.log"))
                .contains("Kernel panic - not syncing: sysrq triggered crash"));
        assertTrue(Files.readString(result.folder().resolve("serial.log"))
                .contains("Kernel panic - not syncing: sysrq triggered crash"));
        JsonNode json = JsonReport.mapper().readTree(result.folder().resolve("report.json").toFile());
        assertEquals("PASS", json.get("outcome").asText());
    }

    @Test
    @Order(2)
    void aCrashWhereNoneIsExpectedIsAFail() throws Exception {
        Scenario scenario = scenario("unexpected.yaml", "name: unexpected\ntrigger: {lkdtm: WARNING}\nexpect: no-crash\n");

        RunReport report = run(scenario, board, options("fail")).report();

        assertEquals(Outcome.FAIL, report.outcome(), report.reason());
        assertTrue(report.reason().startsWith("unexpected crash: WARNING"), report.reason());
        assertEquals("warning", report.crashes().get(0).kind());
        assertTrue(report.recovery().boardBack());
    }

    @Test
    @Order(3)
    void theDebianBugScenarioWritesToTheUsbStick() throws Exception {
        Scenario scenario = ScenarioFile.load(Path.of("../scenarios/usb-storage-write-917206.yaml"),
                "usb-storage-write-917206.yaml", inventory);

        ScenarioRunner.Result result = run(scenario, board, options("usb"));

        RunReport report = result.report();
        assertEquals(Outcome.PASS, report.outcome(), report.reason());
        assertEquals("no crash: Debian bug #917206 did not reproduce", report.reason());
        assertEquals("none", report.recovery().method(), "the board survived: no power cycle");
        assertTrue(Files.readString(result.folder().resolve("timeline.log")).contains("exit status 0"),
                "the write finished and said so");
    }

    @Test
    @Order(4)
    void aWrongDeviceIsRefusedBeforeAnythingIsWritten() throws Exception {
        Scenario scenario = scenario("wrong-disk.yaml",
                "name: wrong-disk\ntrigger: {usb-storage-write: {device: /dev/vda}}\nexpect: no-crash\n");

        RunReport report = run(scenario, board, options("wrong-disk")).report();

        assertEquals(Outcome.ERROR, report.outcome());
        assertTrue(report.reason().contains("refusing to write"), report.reason());
    }

    @Test
    @Order(5)
    void netconsoleThatNeverArrivesIsALabError() throws Exception {
        // The same board, but its netconsole goes to an address that is not this machine.
        Path elsewhere = Files.createDirectories(dir.resolve("inventory-elsewhere"));
        Files.writeString(elsewhere.resolve("qemu-x86_64.yaml"), Files.readString(Path.of("../inventory/qemu-x86_64.yaml"))
                .replace("address: 10.0.2.2", "address: 10.0.2.3"));
        Board misdirected = Inventory.load(elsewhere).find("qemu-x86_64").orElseThrow();
        Scenario scenario = ScenarioFile.load(Path.of("../scenarios/sysrq-panic.yaml"), "sysrq-panic.yaml", inventory);

        RunReport report = run(scenario, misdirected, options("error")).report();

        assertEquals(Outcome.ERROR, report.outcome());
        assertTrue(report.reason().contains("netconsole marker not received"), report.reason());
        assertTrue(report.reason().contains("iptables -A INPUT -p udp --dport 6666 -j ACCEPT"), report.reason());
        assertTrue(report.crashes().isEmpty(), "nothing was triggered");
        assertEquals("failed", report.phases().get(report.phases().size() - 1).status());
    }

    @Test
    @Order(6)
    void anInterruptedRunWritesItsReportAndLeavesTheBoardOn() throws Exception {
        Scenario scenario = scenario("slow.yaml", "name: slow\ntrigger: {command: 'sleep 60'}\nexpect: no-crash\n"
                + "limits: {capture: 120s}\n");
        List<String> started = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void phaseStarted(String phase) {
                started.add(phase);
            }
        };
        ScenarioRunner runner = new ScenarioRunner(scenario, board, new ScenarioRunner.Options(dir.resolve("interrupted"),
                null, true, true, listener, null, null, Duration.ZERO), "test");
        CompletableFuture<ScenarioRunner.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofMinutes(4)).until(() -> started.contains("capture"));

        runner.interrupt(Duration.ofSeconds(60));
        RunReport report = running.get(2, TimeUnit.MINUTES).report();

        assertEquals(Outcome.ERROR, report.outcome());
        assertEquals("capture", report.interruptedPhase());
        assertEquals("interrupted during phase capture", report.reason());
        assertNull(report.recovery());
        assertFalse(report.phases().isEmpty());
        ScenarioRunner.Result after = run(scenario("check.yaml", "trigger: {command: 'true'}\nexpect: no-crash\n"), board,
                options("after-interrupt"));
        assertEquals("already on", after.report().phases().get(1).detail(), "the board was left on");
    }
}
