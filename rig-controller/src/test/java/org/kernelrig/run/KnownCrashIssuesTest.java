package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.report.JsonReport;
import org.kernelrig.report.KcidbReport;
import org.kernelrig.report.KcidbSchema;
import org.kernelrig.report.KcidbSettings;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.suite.KnownCrashes;

import com.fasterxml.jackson.databind.JsonNode;

/** The shipped known-crashes.yaml as KCIDB issues, and a run's known crash as an incident. */
class KnownCrashIssuesTest {

    static final Instant T0 = Instant.parse("2026-11-24T02:00:00Z");

    @TempDir
    Path dir;

    static RunReport sysrqPanic(String fingerprint) {
        RunReport.CrashFinding crash = new RunReport.CrashFinding("sysrq-crash",
                "Kernel panic - not syncing: sysrq triggered crash", "kernel panic: sysrq triggered crash",
                "sysrq_handle_crash", fingerprint, true, false, true, List.of("sysrq_handle_crash"),
                List.of("Kernel panic - not syncing: sysrq triggered crash"), Set.of("serial"), 1, 1);
        return new RunReport("20261124-020000-sysrq-panic-pi4", "0.1.0",
                new RunReport.ScenarioInfo("sysrq-panic", "scenarios/sysrq-panic.yaml", "", 0, "sysrq c", "panic crash"),
                new RunReport.BoardInfo("pi4", "bench", "root@192.168.1.50", "lcus"),
                new RunReport.KernelInfo("6.12.1-arm64", "#1 SMP Debian 6.12.1-1", "aarch64", "Raspberry Pi 4"),
                T0, T0.plusSeconds(40), List.of(new RunReport.PhaseRecord("lock", T0, Duration.ZERO, "ok", null)),
                Outcome.PASS, "expected panic crash", null, List.of(crash), RunReport.WitnessStats.disabled("off"),
                new RunReport.WitnessStats(true, 3, Map.of(), null), null, null, List.of());
    }

    @Test
    void theShippedKnownCrashesBecomeIssuesAndTheCrashMadeOnPurposeAnIncident() throws Exception {
        KnownCrashes known = KnownCrashes.load(Path.of("../known-crashes.yaml"), "known-crashes.yaml");
        KcidbReport kcidb = KnownCrashIssues.attach(KcidbReport.withoutIssues(KcidbSettings.DEFAULTS, null), known, T0);

        String text = kcidb.render(List.of(sysrqPanic("88490c67d2e2684e"), sysrqPanic("0000000000000000")), dir);

        assertEquals(List.of(), KcidbSchema.problems(text), text);
        JsonNode json = JsonReport.mapper().readTree(text);
        assertEquals(known.entries().size(), json.path("issues").size());
        JsonNode usb = json.path("issues").get(0);
        assertEquals("rig:usb-storage-917206", usb.path("id").asText());
        assertEquals("https://bugs.debian.org/917206", usb.path("report_url").asText());
        assertEquals(917206, usb.path("misc").path("debian_bug").asInt());
        assertEquals(T0.getEpochSecond(), usb.path("version").asLong());
        assertTrue(json.path("issues").get(1).path("misc").path("debian_bug").isMissingNode(), "no bug, none named");
        assertEquals(1, json.path("incidents").size(), "only the crash whose fingerprint is known");
        assertEquals("rig:sysrq-panic-on-purpose", json.path("incidents").get(0).path("issue_id").asText());
        assertEquals("aarch64", json.path("builds").get(0).path("architecture").asText());
        assertTrue(Files.notExists(dir.resolve(KcidbReport.FILE_NAME)), "rendering writes nothing");
    }
}
