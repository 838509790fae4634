package org.kernelrig.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.kernelrig.report.JsonReport;
import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.report.RunReport.CrashFinding;

/** Run reports built for the suite tests, as ScenarioRunner would write them. */
final class Runs {

    static final Instant NIGHT1 = Instant.parse("2026-11-23T02:00:00Z");
    static final Instant NIGHT2 = Instant.parse("2026-11-24T02:00:00Z");

    private Runs() {
    }

    static CrashFinding crash(String fingerprint, String kind, String title, String headline) {
        return new CrashFinding(kind, headline, title, null, fingerprint, true, false, true, List.of("f1", "f2"),
                List.of(headline, "Call Trace:", " f1+0x1/0x2"), Set.of("netconsole"), 10, 12);
    }

    static final CrashFinding SYSRQ = crash("88490c67d2e2684e", "sysrq-crash", "kernel panic: sysrq triggered crash",
            "Kernel panic - not syncing: sysrq triggered crash");
    static final CrashFinding USB = crash("1111222233334444", "null-pointer-dereference",
            "BUG: unable to handle kernel NULL pointer dereference in usb_stor_access_xfer_buf",
            "BUG: kernel NULL pointer dereference, address: 0000000000000008");
    static final CrashFinding WARN = crash("99a630072c3893af", "warning", "WARNING in lkdtm_WARNING",
            "WARNING: CPU: 0 PID: 612 at drivers/misc/lkdtm/bugs.c:84 lkdtm_WARNING+0x1b/0x20 [lkdtm]");

    /** A run that reached the kernel: its capture phase completed. */
    static RunReport run(String board, String scenario, Outcome outcome, Instant started, CrashFinding... crashes) {
        return run(board, scenario, outcome, started, "capture", "ok", crashes);
    }

    /** A lab error before the capture: the board was never reached. */
    static RunReport unreachable(String board, String scenario, Instant started) {
        return run(board, scenario, Outcome.ERROR, started, "connect", "failed");
    }

    static RunReport run(String board, String scenario, Outcome outcome, Instant started, String lastPhase,
            String lastStatus, CrashFinding... crashes) {
        String runId = RUN_ID.format(started) + "-" + scenario + "-" + board;
        String reason = switch (outcome) {
            case PASS -> crashes.length == 0 ? "no crash, as expected" : "expected crash: " + crashes[0].headline();
            case FAIL -> crashes.length == 0 ? "expected a panic crash, none came" : "unexpected crash: "
                    + crashes[0].headline();
            case ERROR -> "board " + board + ": SSH connection refused\n  is it powered?";
        };
        return new RunReport(runId, "0.1.0",
                new RunReport.ScenarioInfo(scenario, "scenarios/" + scenario + ".yaml", "", 0, "sysrq c", "panic crash"),
                new RunReport.BoardInfo(board, "physical", "root@192.0.2.10:22", "lcus relay"),
                lastPhase.equals("connect") ? null : new RunReport.KernelInfo("6.12.1-amd64", "#1 SMP Debian", "x86_64", null),
                started, started.plusSeconds(40),
                List.of(new RunReport.PhaseRecord("lock", started, Duration.ofMillis(5), "ok", null),
                        new RunReport.PhaseRecord(lastPhase, started.plusSeconds(1), Duration.ofSeconds(20), lastStatus,
                                null)),
                outcome, reason, null, List.of(crashes), RunReport.WitnessStats.disabled("test"),
                RunReport.WitnessStats.disabled("test"), RunReport.WitnessStats.disabled("test"),
                lastPhase.equals("connect") ? null : new RunReport.Recovery("power-cycle", true, Duration.ofSeconds(9), null),
                List.of());
    }

    static RunReport withId(RunReport r, String runId) {
        return new RunReport(runId, r.rigVersion(), r.scenario(), r.board(), r.kernel(), r.started(), r.ended(),
                r.phases(), r.outcome(), r.reason(), r.interruptedPhase(), r.crashes(), r.netconsole(), r.serial(), r.pstore(),
                r.recovery(), r.warnings());
    }

    static RunReport notBack(RunReport r) {
        return new RunReport(r.runId(), r.rigVersion(), r.scenario(), r.board(), r.kernel(), r.started(), r.ended(),
                r.phases(), Outcome.ERROR, "board did not come back after the power cycle", r.interruptedPhase(),
                r.crashes(), r.netconsole(), r.serial(), r.pstore(),
                new RunReport.Recovery("power-cycle", false, Duration.ofSeconds(180), "no SSH within 180 s"),
                r.warnings());
    }

    /** Writes {@code run} as {@code folder/<run-id>/report.json}. */
    static Path write(Path folder, RunReport run) throws Exception {
        Path dir = Files.createDirectories(folder.resolve(run.runId()));
        return Files.writeString(dir.resolve("report.json"), JsonReport.render(run));
    }

    private static final java.time.format.DateTimeFormatter RUN_ID = java.time.format.DateTimeFormatter
            .ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC);
}
