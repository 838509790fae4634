package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.board.LabBoard;
import org.kernelrig.board.LabBoards;
import org.kernelrig.board.SshWait;
import org.kernelrig.LabException;
import org.kernelrig.cli.RigRunner;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.testing.RequiredTool;

/**
 * The third witness on the virtual boards: crash records read from pstore
 * after the reboot (ramoops in RAM kept by a warm reset, EFI variables kept
 * across a power-off), and netconsole over IPv6.
 */
class PstoreRunTest {

    @TempDir
    static Path dir;

    static Inventory inventory;

    @BeforeAll
    static void tools() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        RequiredTool.requireFile(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), "ovmf");
        inventory = Inventory.load(Path.of("../inventory"));
    }

    @AfterAll
    static void switchOff() {
        for (String name : List.of("qemu-x86_64-efi")) {
            inventory.find(name).ifPresent(board -> {
                try (LabBoard lab = LabBoards.open(board, null, m -> { })) {
                    lab.power().off();
                } catch (LabException e) {
                    // already off
                }
            });
        }
    }

    static Scenario scenario(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return ScenarioFile.load(file, name, inventory);
    }

    static RunReport report(ScenarioRunner.Result result) throws Exception {
        return JsonReport.read(Files.readAllBytes(result.folder().resolve("report.json")));
    }

    static RunReport.CrashFinding onlyCrash(RunReport report) {
        assertEquals(1, report.crashes().size(), report.reason());
        return report.crashes().get(0);
    }

    @Test
    void aPanicNoLiveWitnessSawIsKnownFromRamoopsAfterAWarmReset() throws Exception {
        Board board = inventory.find("qemu-x86_64").orElseThrow();
        Scenario panic = scenario("ramoops-panic.yaml", """
                name: ramoops-panic
                trigger: {sysrq: c}
                expect:
                  crash: panic
                  title: "^Kernel panic - not syncing: sysrq triggered crash"
                """);
        ScenarioRunner.Options blind = new ScenarioRunner.Options(dir.resolve("ramoops"), null, false, false,
                RunListener.SILENT, null, null, java.time.Duration.ZERO);

        ScenarioRunner.Result result = new ScenarioRunner(panic, board, blind, "test").run();

        RunReport report = report(result);
        assertEquals(Outcome.PASS, report.outcome(), report.reason());
        RunReport.CrashFinding crash = onlyCrash(report);
        assertEquals("Kernel panic - not syncing: sysrq triggered crash", crash.headline());
        assertEquals(Set.of("pstore"), crash.witnesses(), "pstore was the only witness");
        assertEquals("warm reset", report.recovery().method(), "a power cycle would have lost the RAM record");
        assertTrue(Files.readString(result.folder().resolve("pstore/dmesg-ramoops-0"))
                .contains("sysrq triggered crash"), "the raw record is in the run folder");
        String phase = report.phases().stream().filter(p -> p.name().equals("pstore")).findFirst().orElseThrow()
                .detail();
        assertTrue(phase.contains("pstore was the only witness of 1 crash"), phase);
        assertTrue(Files.readString(result.folder().resolve("report.html")).contains("known only from the pstore"));
        assertTrue(Files.readString(result.folder().resolve("summary.txt")).contains("recovered after the reboot"));
    }

    @Test
    void anOopsKeptInEfiVariablesAcrossAPowerCycleIsJoinedAnalysedAndDeleted() throws Exception {
        Board board = inventory.find("qemu-x86_64-efi").orElseThrow();
        Scenario oops = scenario("efi-oops.yaml", """
                name: efi-oops
                trigger: {lkdtm: EXCEPTION}
                expect:
                  crash: oops
                  title: "NULL pointer dereference"
                limits: {quiet-after-trace: 3s}
                """);

        ScenarioRunner.Result result = new ScenarioRunner(oops, board,
                ScenarioRunner.Options.defaults(dir.resolve("efi")), "test").run();

        RunReport report = report(result);
        assertEquals(Outcome.PASS, report.outcome(), report.reason());
        assertEquals("power-cycle", report.recovery().method());
        RunReport.CrashFinding crash = onlyCrash(report);
        assertTrue(crash.witnesses().contains("pstore"), String.valueOf(crash.witnesses()));
        List<Path> records;
        try (var files = Files.list(result.folder().resolve("pstore"))) {
            records = files.filter(f -> f.getFileName().toString().startsWith("dmesg-efi-")).toList();
        }
        assertTrue(records.size() > 1, "the oops in several EFI parts: " + records);
        assertTrue(report.pstore().note().contains("Oops#1 from efi (" + records.size() + " records"),
                report.pstore().note());
        assertEquals((long) records.size(), report.pstore().counters().get("deleted"));
        try (LabBoard lab = LabBoards.open(board, null, m -> { });
                SshPatient patient = SshWait.connect(lab, null, java.time.Duration.ofSeconds(60))) {
            assertEquals("", patient.run("ls /sys/fs/pstore", java.time.Duration.ofSeconds(10)).output().strip(),
                    "the records are deleted on the board, so the variable store never fills");
        }
    }

    @Test
    void overIpv6TheSameCrashIsSeenOnNetconsoleSerialAndPstore() throws Exception {
        Path reports = dir.resolve("ipv6");

        RigRunner.Result rig = RigRunner.run("run", "../scenarios/sysrq-panic.yaml", "--board", "qemu-x86_64-efi",
                "--reports", reports.toString(), "--inventory", "../inventory");

        assertEquals(0, rig.exitCode(), rig.out() + rig.err());
        Path folder;
        try (var runs = Files.list(reports)) {
            folder = runs.filter(f -> Files.exists(f.resolve("report.json"))).findFirst().orElseThrow();
        }
        RunReport report = JsonReport.read(Files.readAllBytes(folder.resolve("report.json")));
        RunReport.CrashFinding crash = onlyCrash(report);
        assertEquals(Set.of("netconsole", "serial", "pstore"), crash.witnesses());
        String netconsole = Files.readString(folder.resolve("netconsole.log"));
        assertTrue(netconsole.contains("Kernel panic - not syncing: sysrq triggered crash"));
        assertTrue(report.phases().stream().anyMatch(p -> p.name().equals("netconsole") && p.status().equals("ok")));
    }
}
