package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.board.LabBoard;
import org.kernelrig.board.LabBoards;
import org.kernelrig.LabException;
import org.kernelrig.cli.RigRunner;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.testing.RequiredTool;
import org.kernelrig.virtualboard.TestKernels;

/** A kernel under test that does not boot is the kernel's failure, with the console that shows why. */
class KernelUnderTestRunTest {

    @TempDir
    static Path dir;

    static Path inventory;

    @BeforeAll
    static void aBoardOfItsOwn() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        inventory = Files.createDirectories(dir.resolve("inventory"));
        Files.writeString(inventory.resolve("unbootable.yaml"), Files.readString(Path.of("../inventory/qemu-x86_64.yaml"))
                .replace("port: 6666", "port: 6673"));
    }

    @AfterAll
    static void switchOff() throws Exception {
        try (LabBoard lab = LabBoards.open(Inventory.load(inventory).find("unbootable").orElseThrow(), null, m -> { })) {
            lab.power().off();
        } catch (LabException e) {
            // never started
        }
    }

    @Test
    void aKernelThatCannotUnpackItselfFailsWithItsConsoleAndTheSuiteSkipsTheBoardsOtherScenarios() throws Exception {
        Path damaged = TestKernels.damagedBzImage(Files.createDirectories(dir.resolve("kernels")));
        Path reports = dir.resolve("reports");

        RigRunner.Result rig = RigRunner.run("run", "../scenarios/sysrq-panic.yaml", "../scenarios/lkdtm-oops.yaml",
                "--board", "unbootable", "--kernel", damaged.toString(), "--inventory", inventory.toString(),
                "--reports", reports.toString(), "--known-crashes", "../known-crashes.yaml");

        assertEquals(1, rig.exitCode(), "a failing kernel, not a failing lab: " + rig.out() + rig.err());
        Path suite;
        try (var folders = Files.list(reports)) {
            suite = folders.filter(f -> Files.exists(f.resolve("summary.json"))).findFirst().orElseThrow();
        }
        List<Path> runs;
        try (var folders = Files.list(suite)) {
            runs = folders.filter(f -> Files.exists(f.resolve("report.json"))).sorted().toList();
        }
        assertEquals(1, runs.size(), "the first scenario ran; the second was skipped");
        RunReport first = JsonReport.read(Files.readAllBytes(runs.get(0).resolve("report.json")));
        assertEquals(Outcome.FAIL, first.outcome(), first.reason());
        assertTrue(first.reason().contains("did not boot: the boot stub halted: XZ-compressed data is corrupt"),
                first.reason());
        RunReport.PhaseRecord kernel = first.phases().stream().filter(p -> p.name().equals("kernel")).findFirst()
                .orElseThrow();
        assertEquals("failed", kernel.status());
        // The console is the evidence, and the run gave up when it showed the halt, not at the boot limit.
        assertTrue(Files.readString(runs.get(0).resolve("serial.log")).contains("XZ-compressed data is corrupt"));
        assertTrue(Files.readString(runs.get(0).resolve("report.html")).contains("XZ-compressed data is corrupt"));
        assertTrue(kernel.took().compareTo(Duration.ofSeconds(180)) < 0, kernel.took().toString());
        assertTrue(rig.out().contains("skipped: the kernel under test did not boot on board unbootable"), rig.out());
    }
}
