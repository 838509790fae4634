package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.kernelrig.board.LabBoard;
import org.kernelrig.board.LabBoards;
import org.kernelrig.LabException;
import org.kernelrig.cli.RigRunner;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSchema;
import org.kernelrig.suite.SuiteJson;
import org.kernelrig.suite.SuiteReport;
import org.kernelrig.virtualboard.TestKernels;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.ScenarioFile;
import org.kernelrig.testing.RequiredTool;

import com.fasterxml.jackson.databind.JsonNode;

/** A suite on two virtual boards at once, on a kernel given to test: boards in parallel, their lines kept apart. */
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
    void twoBoardsRunThreeScenariosEachOnTheKernelUnderTestAndTheirLinesNeverMix() throws Exception {
        Path deb = TestKernels.debianPackage();
        KernelUnderTest kernel = KernelUnderTest.inspect(deb);
        Path reports = dir.resolve("reports");

        RigRunner.Result rig = RigRunner.run("run", "../scenarios/lkdtm-warning.yaml", "../scenarios/sysrq-panic.yaml",
                "../scenarios/lkdtm-oops.yaml", "--board", "suite-a", "--board", "suite-b", "--kernel", deb.toString(),
                "--inventory", dir.resolve("inventory").toString(), "--reports", reports.toString(),
                "--known-crashes", "../known-crashes.yaml", "--origin", "rig_test");

        assertEquals(0, rig.exitCode(), rig.out() + rig.err());
        Path folder;
        try (var suites = Files.list(reports)) {
            folder = suites.filter(f -> Files.exists(f.resolve("summary.json"))).findFirst().orElseThrow();
        }
        SuiteReport summary = SuiteJson.read(Files.readAllBytes(folder.resolve("summary.json")));
        assertEquals(kernel.describe(), summary.kernel());
        assertEquals(List.of("suite-a", "suite-b"), summary.boards());
        assertEquals(6, summary.runs().size());
        assertTrue(Files.readString(folder.resolve("index.html")).contains(kernel.describe()));
        assertEquals(6, Files.readString(folder.resolve("junit.xml")).split("<testcase ", -1).length - 1);
        for (String board : List.of("suite-a", "suite-b")) {
            List<SuiteReport.SuiteRun> runs = summary.runs().stream().filter(r -> r.board().equals(board)).toList();
            assertEquals(List.of("lkdtm-warning", "sysrq-panic", "lkdtm-oops"),
                    runs.stream().map(SuiteReport.SuiteRun::scenario).toList(), "one board's scenarios in sequence");
            for (int i = 0; i < runs.size(); i++) {
                SuiteReport.SuiteRun run = runs.get(i);
                assertEquals(Outcome.PASS, run.outcome(), board + " " + run.scenario() + ": " + run.reason());
                assertEquals(kernel.release(), run.kernelRelease());
                RunReport report = JsonReport.read(Files.readAllBytes(folder.resolve(run.folder()).resolve("report.json")));
                assertEquals(kernel.version(), report.kernel().version(), "uname -v of the kernel under test");
                RunReport.PhaseRecord phase = report.phases().stream().filter(p -> p.name().equals("kernel"))
                        .findFirst().orElseThrow();
                assertEquals("ok", phase.status());
                if (i > 0) {
                    assertEquals("already running " + kernel.release(), phase.detail(), "booted once per board");
                }
                assertTrue(Files.exists(folder.resolve(run.folder()).resolve("report.html")));
                String own = Files.readString(folder.resolve(run.folder()).resolve("netconsole.log"));
                // Each run writes one marker while the other board's runs write theirs: exactly one means nothing mixed.
                assertEquals(1, own.lines().filter(l -> l.contains("rig-marker-")).count(),
                        "one marker: no line of the other board, and none of another run");
            }
        }
        // The two boards ran side by side: each board's runs overlap the other's.
        Instant aStart = summary.runs().stream().filter(r -> r.board().equals("suite-a")).map(SuiteReport.SuiteRun::started)
                .min(Instant::compareTo).orElseThrow();
        Instant bEnd = summary.runs().stream().filter(r -> r.board().equals("suite-b"))
                .map(r -> r.started().plus(r.took())).max(Instant::compareTo).orElseThrow();
        Instant bStart = summary.runs().stream().filter(r -> r.board().equals("suite-b")).map(SuiteReport.SuiteRun::started)
                .min(Instant::compareTo).orElseThrow();
        Instant aEnd = summary.runs().stream().filter(r -> r.board().equals("suite-a"))
                .map(r -> r.started().plus(r.took())).max(Instant::compareTo).orElseThrow();
        assertTrue(aStart.isBefore(bEnd) && bStart.isBefore(aEnd), "in parallel");
        assertTrue(summary.brokenBoards().isEmpty(), String.valueOf(summary.brokenBoards()));
        assertTrue(Files.isDirectory(folder.resolve("doctor-6671")));
        assertTrue(Files.isDirectory(folder.resolve("doctor-6672")));
        kcidbHoldsTheSuite(folder, summary, kernel, deb);
        System.out.printf("two boards, three scenarios each, in parallel: %d s%n",
                java.time.Duration.between(summary.started(), summary.ended()).toSeconds());
    }

    /** The suite's kcidb.json, and each run's, are valid KCIDB 5.3 and say what summary.json says. */
    static void kcidbHoldsTheSuite(Path folder, SuiteReport summary, KernelUnderTest kernel, Path deb) throws Exception {
        String text = Files.readString(folder.resolve(KcidbReport.FILE_NAME));
        assertEquals(List.of(), KcidbSchema.problems(text), text);
        JsonNode kcidb = JsonReport.mapper().readTree(text);
        assertEquals(6, kcidb.path("tests").size());
        assertEquals(1, kcidb.path("builds").size(), "one kernel under test");
        JsonNode build = kcidb.path("builds").get(0);
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(deb))), build.path("misc").path("sha256").asText());
        assertEquals(kernel.release(), build.path("misc").path("release").asText());
        assertEquals("x86_64", build.path("architecture").asText());
        Set<String> expectedIncidents = new TreeSet<>();
        for (SuiteReport.SuiteRun run : summary.runs()) {
            JsonNode test = null;
            for (JsonNode t : kcidb.path("tests")) {
                if (t.path("id").asText().equals("rig_test:" + run.runId())) {
                    test = t;
                }
            }
            assertTrue(test != null, "a test for " + run.runId() + " in " + text);
            assertEquals("PASS", test.path("status").asText());
            assertEquals("rig." + run.scenario(), test.path("path").asText());
            assertEquals(run.board(), test.path("environment").path("misc").path("board").asText());
            assertEquals(build.path("id").asText(), test.path("build_id").asText());
            assertTrue(test.path("log_excerpt").asText().contains(run.crashes().get(0).headline()),
                    "the crash's lines: " + test.path("log_excerpt").asText());
            assertTrue(Files.exists(Path.of(URI.create(test.path("log_url").asText()))), "links to the timeline");
            run.crashes().stream().filter(c -> c.known() != null)
                    .forEach(c -> expectedIncidents.add("rig_test:" + run.runId() + " rig_test:" + c.known().name()));
            String own = Files.readString(folder.resolve(run.folder()).resolve(KcidbReport.FILE_NAME));
            assertEquals(List.of(), KcidbSchema.problems(own), own);
        }
        Set<String> incidents = new TreeSet<>();
        kcidb.path("incidents").forEach(i -> incidents.add(i.path("test_id").asText() + " " + i.path("issue_id").asText()));
        assertFalse(expectedIncidents.isEmpty(), "sysrq-panic's crash is known: " + summary.runs());
        assertEquals(expectedIncidents, incidents);
        List<String> bugs = new ArrayList<>();
        kcidb.path("issues").forEach(i -> bugs.add(i.path("id").asText() + " " + i.path("report_url").asText("-")));
        assertEquals(List.of("rig_test:usb-storage-917206 https://bugs.debian.org/917206",
                "rig_test:sysrq-panic-on-purpose -"), bugs);
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
