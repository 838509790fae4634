package org.kernelrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.kernel.KernelUnderTest;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs as KCIDB 5.3 documents, each checked against the vendored schema. */
class KcidbReportTest {

    @TempDir
    Path dir;

    static RunReport run(Outcome outcome, RunReport.KernelInfo kernel, List<RunReport.CrashFinding> crashes,
            List<RunReport.PhaseRecord> phases) {
        RunReport base = ReportWritersTest.report(outcome);
        return new RunReport(base.runId(), base.rigVersion(), base.scenario(), base.board(), kernel, base.started(),
                base.ended(), phases, outcome, base.reason(), null, crashes, base.netconsole(), base.serial(),
                base.pstore(), base.recovery(), base.warnings());
    }

    JsonNode valid(String json) throws Exception {
        assertEquals(List.of(), KcidbSchema.problems(json), json);
        return JsonReport.mapper().readTree(json);
    }

    @Test
    void aRunIsATestOfTheKernelItsBoardRanWithItsCrashAndItsFiles() throws Exception {
        RunReport run = ReportWritersTest.report(Outcome.PASS);
        JsonNode kcidb = valid(KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, null).render(List.of(run), dir));

        assertEquals(5, kcidb.path("version").path("major").asInt());
        assertEquals(3, kcidb.path("version").path("minor").asInt());
        JsonNode test = kcidb.path("tests").get(0);
        assertEquals("rig:" + run.runId(), test.path("id").asText());
        assertEquals("rig", test.path("origin").asText());
        assertEquals("rig.sysrq-panic", test.path("path").asText());
        assertEquals("PASS", test.path("status").asText());
        assertEquals("qemu-x86_64", test.path("environment").path("misc").path("board").asText());
        assertTrue(test.path("environment").path("comment").asText().startsWith("board qemu-x86_64 (virtual)"));
        assertEquals("2026-11-24T08:00:00Z", test.path("start_time").asText());
        assertEquals(42.0, test.path("duration").asDouble());
        // The crash verbatim, hostile bytes included: JSON escapes them, a reader decides how to show them.
        assertEquals(String.join("\n", run.crashes().get(0).lines()) + "\n", test.path("log_excerpt").asText());
        assertEquals("3f2a9c", test.path("misc").path("crashes").get(0).path("fingerprint").asText());

        String folder = "file://" + dir.toAbsolutePath().resolve(run.runId()) + "/";
        assertEquals(folder + "timeline.log", test.path("log_url").asText());
        List<String> files = new ArrayList<>();
        test.path("output_files").forEach(f -> files.add(f.path("name").asText() + " " + f.path("url").asText()));
        assertTrue(files.contains("report.html " + folder + "report.html"), files.toString());
        assertTrue(files.contains("netconsole.log " + folder + "netconsole.log"), files.toString());
        assertFalse(files.stream().anyMatch(f -> f.startsWith("serial.log")), "the run had no serial console");

        JsonNode build = kcidb.path("builds").get(0);
        JsonNode checkout = kcidb.path("checkouts").get(0);
        assertEquals(build.path("id").asText(), test.path("build_id").asText());
        assertEquals(checkout.path("id").asText(), build.path("checkout_id").asText());
        assertEquals("x86_64", build.path("architecture").asText());
        assertEquals("6.1.0-26-amd64", checkout.path("misc").path("release").asText());
        assertEquals("#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1", build.path("misc").path("version").asText());
        assertEquals(0, kcidb.path("issues").size());
        assertEquals(0, kcidb.path("incidents").size());
    }

    @Test
    void outcomesBecomeKcidbStatusesAndALabErrorBeforeTheKernelIsAMiss() throws Exception {
        RunReport.KernelInfo kernel = ReportWritersTest.report(Outcome.PASS).kernel();
        List<RunReport.PhaseRecord> phases = ReportWritersTest.report(Outcome.PASS).phases();
        List<RunReport> runs = List.of(run(Outcome.FAIL, kernel, List.of(), phases),
                run(Outcome.ERROR, kernel, List.of(), phases),
                run(Outcome.ERROR, null, List.of(), phases),
                run(Outcome.ERROR, null, List.of(), List.of()));
        List<String> statuses = new ArrayList<>();
        for (RunReport run : runs) {
            JsonNode kcidb = valid(KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, null).render(List.of(run), dir));
            statuses.add(kcidb.path("tests").get(0).path("status").asText());
            if (run.kernel() == null) {
                assertEquals("unknown kernel: the board was never reached",
                        kcidb.path("builds").get(0).path("comment").asText());
            }
            if (run.phases().isEmpty()) {
                assertTrue(kcidb.path("tests").get(0).path("output_files").isMissingNode(), "a skipped run has no files");
            }
        }
        assertEquals(List.of("FAIL", "ERROR", "MISS", "MISS"), statuses);
    }

    @Test
    void aLongCrashIsCutToTheSchemasBoundOnWholeLinesAndSaysWhatIsMissing() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("Kernel panic - not syncing: \0NUL from the board");
        lines.add("x".repeat(100_000));
        for (int i = 0; i < 5000; i++) {
            lines.add(String.format(" frame_%04d+0x16/0x20", i));
        }
        RunReport.CrashFinding crash = new RunReport.CrashFinding("panic", lines.get(0), "kernel panic", "f", "ab",
                true, false, true, List.of(), lines, Set.of("serial"), 1, lines.size());
        RunReport run = run(Outcome.FAIL, ReportWritersTest.report(Outcome.PASS).kernel(), List.of(crash, crash),
                ReportWritersTest.report(Outcome.PASS).phases());

        JsonNode kcidb = valid(KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, null).render(List.of(run), dir));

        String excerpt = kcidb.path("tests").get(0).path("log_excerpt").asText();
        assertTrue(excerpt.length() <= KcidbReport.EXCERPT_LIMIT, "length " + excerpt.length());
        assertTrue(excerpt.length() > KcidbReport.EXCERPT_LIMIT - 100, "filled up to the bound: " + excerpt.length());
        assertTrue(excerpt.startsWith("Kernel panic - not syncing: \uFFFDNUL from the board\n" + "x".repeat(1024) + "\n"));
        String[] kept = excerpt.split("\n");
        int shown = kept.length - 1;
        assertEquals("[" + (2 * lines.size() + 1 - shown) + " more line(s) in timeline.log]", kept[kept.length - 1]);
        assertTrue(kept[kept.length - 2].matches(" frame_\\d{4}\\+0x16/0x20"), "whole lines: " + kept[kept.length - 2]);
    }

    @Test
    void knownCrashesAreIssuesWithTheirBugAndEachOneSeenIsAnIncidentOfItsTest() throws Exception {
        RunReport run = ReportWritersTest.report(Outcome.FAIL);
        List<KcidbReport.Issue> issues = List.of(
                new KcidbReport.Issue("sysrq-panic-on-purpose", null, "made on purpose", Map.of("fingerprint", "3f2a9c")),
                new KcidbReport.Issue("usb-storage-917206", "https://bugs.debian.org/917206", "usb-storage crash",
                        Map.of("title", "usb-storage|usb_stor")));
        Instant read = Instant.parse("2026-11-24T02:00:00Z");
        KcidbReport writer = new KcidbReport(new KcidbSettings("lab_42", URI.create("https://ci.example.org/job/7/artifacts/reports")),
                null, issues, crash -> crash.fingerprint().equals("3f2a9c") ? Optional.of("sysrq-panic-on-purpose")
                        : Optional.empty(), read);

        JsonNode kcidb = valid(writer.inFolder("20261124-020000-suite").render(List.of(run, run), dir));

        assertEquals(2, kcidb.path("issues").size());
        JsonNode bug = kcidb.path("issues").get(1);
        assertEquals("lab_42:usb-storage-917206", bug.path("id").asText());
        assertEquals("https://bugs.debian.org/917206", bug.path("report_url").asText());
        assertEquals(read.getEpochSecond(), bug.path("version").asLong());
        assertEquals("usb-storage|usb_stor", bug.path("misc").path("title").asText());
        assertTrue(kcidb.path("issues").get(0).path("report_url").isMissingNode(), "no bug, no URL");
        JsonNode incident = kcidb.path("incidents").get(0);
        assertEquals("lab_42:sysrq-panic-on-purpose", incident.path("issue_id").asText());
        assertEquals(read.getEpochSecond(), incident.path("issue_version").asLong());
        assertEquals(kcidb.path("tests").get(0).path("id").asText(), incident.path("test_id").asText());
        assertEquals(kcidb.path("tests").get(0).path("build_id").asText(), incident.path("build_id").asText());
        assertTrue(incident.path("present").asBoolean());
        kcidb.path("tests").forEach(t -> assertTrue(t.path("id").asText().startsWith("lab_42:")));
        assertEquals("https://ci.example.org/job/7/artifacts/reports/20261124-020000-suite/" + run.runId()
                + "/report.html", kcidb.path("tests").get(0).path("output_files").get(0).path("url").asText());
    }

    @Test
    void theKernelUnderTestIsKnownByItsPackageAndDigest() throws Exception {
        Path deb = Files.writeString(dir.resolve("linux-image-6.1.0-26-amd64_6.1.112-1_amd64.deb"), "not really a deb");
        KernelBuild kernel = KernelBuild.of(new KernelUnderTest(deb, "linux-image-6.1.0-26-amd64", "6.1.112-1",
                "6.1.0-26-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1"));
        RunReport reached = ReportWritersTest.report(Outcome.PASS);
        RunReport unreachable = run(Outcome.ERROR, null, List.of(), List.of());

        JsonNode kcidb = valid(KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, kernel).render(List.of(unreachable,
                reached), dir));

        assertEquals(1, kcidb.path("builds").size(), "both runs tested the same kernel");
        JsonNode build = kcidb.path("builds").get(0);
        assertEquals(64, build.path("misc").path("sha256").asText().length());
        assertEquals(KcidbReport.sha256("not really a deb"), build.path("misc").path("sha256").asText());
        assertEquals("rig:kernel-" + KcidbReport.sha256("not really a deb").substring(0, 16), build.path("id").asText());
        assertEquals("linux-image-6.1.0-26-amd64", build.path("misc").path("package").asText());
        assertEquals("x86_64", build.path("architecture").asText(), "taken from the run that reached its board");
        assertEquals("linux-image-6.1.0-26-amd64 6.1.112-1 (6.1.0-26-amd64)",
                kcidb.path("checkouts").get(0).path("comment").asText());
        kcidb.path("tests").forEach(t -> assertEquals(build.path("id").asText(), t.path("build_id").asText()));
    }

    @Test
    void anOriginKcidbWouldRefuseIsRefusedAtOnce() {
        for (String origin : List.of("", "My Lab", "lab-1", "rig:x")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new KcidbSettings(origin, null));
            assertTrue(refused.getMessage().contains("lower case letters, digits and '_'"), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new KcidbSettings("rig", URI.create("reports/")));
    }

    @Test
    void scenarioNamesBecomeOneLevelOfTheTestTree() {
        assertEquals("usb-storage-write-917206", KcidbReport.pathSegment("usb-storage-write-917206"));
        assertEquals("boot_v2", KcidbReport.pathSegment("boot.v2"));
    }
}
