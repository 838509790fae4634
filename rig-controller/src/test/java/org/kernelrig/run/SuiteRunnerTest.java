package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.testing.RequiredTool;

/** A suite on two virtual boards at once: boards in parallel, their netconsole lines kept apart. */
class SuiteRunnerTest {

    @TempDir
    static Path dir;

    static Inventory inventory;

    @BeforeAll
    static void twoBoards() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        Path folder = Files.createDirectories(dir.resolve("inventory"));
        String virtual = Files.readString(Path.of("../inventory/qemu-x86_64.yaml"));
        Files.writeString(folder.resolve("suite-a.yaml"), virtual.replace("port: 6666", "port: 6671"));
        Files.writeString(folder.resolve("suite-b.yaml"), virtual.replace("port: 6666", "port: 6672"));
        Files.writeString(folder.resolve("suite-c.yaml"), virtual.replace("port: 6666", "port: 6672"));
        inventory = Inventory.load(folder);
    }

    @AfterAll
    static void switchOff() {
        for (String name : List.of("suite-a", "suite-b")) {
            inventory.find(name).ifPresent(board -> {
                try (LabBoard lab = LabBoards.open(board, null, m -> { })) {
                    lab.power().off();
                } catch (LabException e) {
                    // already off
                }
            });
        }
    }

    static Scenario scenario(String file) throws Exception {
        return ScenarioFile.load(Path.of("../scenarios", file), file, null);
    }

    @Test
    void twoBoardsRunThreeScenariosEachAndTheirLinesNeverMix() throws Exception {
        List<Scenario> scenarios = List.of(scenario("lkdtm-warning.yaml"), scenario("sysrq-panic.yaml"),
                scenario("lkdtm-oops.yaml"));
        Board a = inventory.find("suite-a").orElseThrow();
        Board b = inventory.find("suite-b").orElseThrow();
        Map<Board, List<Scenario>> plan = new LinkedHashMap<>();
        plan.put(a, scenarios);
        plan.put(b, scenarios);

        SuiteRunner.Result result = new SuiteRunner(plan,
                new SuiteRunner.Options(ScenarioRunner.Options.defaults(dir.resolve("reports")), 1, org.kernelrig.suite.KnownCrashes.none(), null), "test").run();

        assertEquals(6, result.runs().size());
        for (RunReport run : result.runs()) {
            assertEquals(Outcome.PASS, run.outcome(), run.board().name() + " " + run.scenario().name() + ": " + run.reason());
            Path folder = result.folder().resolve(run.runId());
            String own = Files.readString(folder.resolve("netconsole.log"));
            // Each run writes one marker while the other board's runs write theirs: exactly one means nothing mixed.
            assertEquals(1, own.lines().filter(l -> l.contains("rig-marker-")).count(),
                    "one marker: no line of the other board, and none of another run");
        }
        assertTrue(result.brokenBoards().isEmpty(), String.valueOf(result.brokenBoards()));
        assertEquals(Outcome.PASS, result.outcome());
        assertTrue(Files.isDirectory(result.folder().resolve("doctor-6671")));
        assertTrue(Files.isDirectory(result.folder().resolve("doctor-6672")));
    }

    @Test
    void twoBoardsWhoseLinesCouldNotBeToldApartAreRefused() throws Exception {
        Map<Board, List<Scenario>> plan = new LinkedHashMap<>();
        plan.put(inventory.find("suite-b").orElseThrow(), List.of(scenario("sysrq-panic.yaml")));
        plan.put(inventory.find("suite-c").orElseThrow(), List.of(scenario("sysrq-panic.yaml")));

        LabException refused = assertThrows(LabException.class, () -> new SuiteRunner(plan,
                new SuiteRunner.Options(ScenarioRunner.Options.defaults(dir.resolve("refused")), 1, org.kernelrig.suite.KnownCrashes.none(), null), "test").run());

        assertTrue(refused.getMessage().contains("both send netconsole from 127.0.0.1 to port 6672"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("refused")), "nothing was started");
    }
}
