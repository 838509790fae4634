package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.suite.KnownCrashes;
import org.kernelrig.testing.RefusingPort;
import org.kernelrig.testing.RequiredTool;

/** Errors are tried again after a power cycle, fails never; a board that stays unreachable is skipped. */
class SuiteRetryTest {

    @TempDir
    Path dir;

    static Scenario scenario(Path dir, String name, String yaml, Inventory inventory) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\n" + yaml);
        return ScenarioFile.load(file, file.toString(), inventory);
    }

    @Test
    void anUnreachableBoardIsRetriedOnceThenMarkedBrokenAndSkipped() throws Exception {
        Path power = dir.resolve("power.log");
        try (RefusingPort ssh = new RefusingPort()) {
            Path folder = Files.createDirectories(dir.resolve("inventory"));
            Files.writeString(folder.resolve("dead-board.yaml"), String.join("\n",
                    "ssh: {host: 127.0.0.1, port: " + ssh.port() + ", connect-timeout: 2s}",
                    "power:",
                    "  driver: command",
                    "  on: \"echo on >> " + power + "\"",
                    "  off: \"echo off >> " + power + "\"",
                    "  off-time: 100ms",
                    "doctor: {address: 127.0.0.1, port: 6681}", ""));
            Inventory inventory = Inventory.load(folder);
            Board board = inventory.find("dead-board").orElseThrow();
            String yaml = "trigger: {sysrq: c}\nexpect: {crash: panic}\nlimits: {boot: 3s}\n";
            Map<Board, List<Scenario>> plan = new LinkedHashMap<>();
            plan.put(board, List.of(scenario(dir, "first", yaml, inventory), scenario(dir, "second", yaml, inventory)));
            List<String> notes = new CopyOnWriteArrayList<>();
            RunListener listener = new RunListener() {
                @Override
                public void note(String message) {
                    notes.add(message);
                }
            };
            ScenarioRunner.Options options = new ScenarioRunner.Options(dir.resolve("reports"), null, true, true, listener,
                    null, null, java.time.Duration.ZERO);

            SuiteRunner.Result result = new SuiteRunner(plan, new SuiteRunner.Options(options, 1, KnownCrashes.none(), null),
                    "test").run();

            List<RunReport> runs = result.runs();
            assertEquals(2, runs.size());
            assertEquals(Outcome.ERROR, runs.get(0).outcome());
            assertTrue(runs.get(0).reason().contains("did not answer SSH within 3 s"), runs.get(0).reason());
            assertEquals(List.of("off", "on"), Files.readAllLines(power), "one power cycle, before the one retry");
            assertEquals(1, notes.stream().filter(n -> n.contains("trying once more")).count(), String.valueOf(notes));
            assertTrue(runs.get(1).reason().startsWith("skipped: board dead-board is broken"), runs.get(1).reason());
            assertTrue(result.brokenBoards().containsKey("dead-board"));
            assertEquals(Outcome.ERROR, result.outcome());
            assertEquals(125, result.outcome().exitCode());
            assertTrue(Files.exists(result.folder().resolve("index.html")));
        }
    }

    @Test
    void aFailIsNeverRetried() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        Inventory inventory = Inventory.load(Path.of("../inventory"));
        Board board = inventory.find("qemu-x86_64").orElseThrow();
        Map<Board, List<Scenario>> plan = new LinkedHashMap<>();
        plan.put(board, List.of(scenario(dir, "unexpected-warning", "trigger: {lkdtm: WARNING}\nexpect: no-crash\n",
                inventory)));
        List<String> notes = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        ScenarioRunner.Options options = new ScenarioRunner.Options(dir.resolve("reports"), null, true, true, listener,
                null, null, java.time.Duration.ZERO);

        SuiteRunner.Result result = new SuiteRunner(plan, new SuiteRunner.Options(options, 1, KnownCrashes.none(), null),
                "test").run();

        assertEquals(1, result.runs().size());
        assertEquals(Outcome.FAIL, result.runs().get(0).outcome(), result.runs().get(0).reason());
        assertTrue(notes.stream().noneMatch(n -> n.contains("trying once more")), String.valueOf(notes));
        assertEquals(1, result.outcome().exitCode());
    }
}
