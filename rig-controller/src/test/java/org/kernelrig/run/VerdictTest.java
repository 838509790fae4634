package org.kernelrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;
import org.kernelrig.crash.CrashKind;
import org.kernelrig.report.Outcome;
import org.kernelrig.scenario.Expectation;
import org.kernelrig.scenario.Scenario;
import org.kernelrig.scenario.TimeLimits;
import org.kernelrig.scenario.Trigger;

/** The verdict on real kernel logs (the analyzer's test data). */
class VerdictTest {

    static List<Crash> crashesIn(String log) throws IOException {
        String text = Files.readString(Path.of("src/test/resources/kernel-logs", log));
        int body = text.indexOf("\n\n");
        return CrashAnalyzer.analyze(text.substring(body + 2));
    }

    static Scenario expecting(Expectation expectation, int debianBug) {
        return new Scenario("s", "", Path.of("s.yaml"), debianBug, null, null, "qemu-x86_64", new Trigger.Sysrq('c'),
                expectation, TimeLimits.defaults(), true);
    }

    @Test
    void aVerdictOnATraceWithLostDatagramsSaysSo() throws IOException {
        Verdict verdict = Verdict.judge(expecting(new Expectation.Crash(CrashKind.PANIC,
                Pattern.compile("^Kernel panic - not syncing: sysrq triggered crash")), 0),
                crashesIn("debian-6.1-x86_64-sysrq-panic.log"));

        Verdict lossy = verdict.withNetconsoleLoss(3);
        assertEquals(verdict.outcome(), lossy.outcome());
        assertEquals(verdict.reason() + " (netconsole lost 3 datagrams before rig could read them"
                + " (the doctor's socket buffer was full))", lossy.reason());
        assertEquals(verdict, verdict.withNetconsoleLoss(0), "nothing lost, nothing said");
        assertEquals(verdict, verdict.withNetconsoleLoss(-1), "a count the system cannot tell is not a loss");
    }

    @Test
    void aSysrqCrashIsThePanicExpected() throws IOException {
        Verdict verdict = Verdict.judge(expecting(new Expectation.Crash(CrashKind.PANIC,
                Pattern.compile("^Kernel panic - not syncing: sysrq triggered crash")), 0),
                crashesIn("debian-6.1-x86_64-sysrq-panic.log"));

        assertEquals(Outcome.PASS, verdict.outcome(), verdict.reason());
        assertEquals("expected panic crash: Kernel panic - not syncing: sysrq triggered crash", verdict.reason());
    }

    @Test
    void aNullDereferenceIsAnOops() throws IOException {
        List<Crash> crashes = crashesIn("debian-6.1-x86_64-lkdtm-exception.log");

        assertEquals(Outcome.PASS, Verdict.judge(expecting(new Expectation.Crash(CrashKind.OOPS, null), 0), crashes).outcome());
        assertEquals(Outcome.FAIL, Verdict.judge(expecting(new Expectation.Crash(CrashKind.WARNING, null), 0), crashes)
                .outcome());
    }

    @Test
    void theTitleMustMatchWhenGiven() throws IOException {
        List<Crash> crashes = crashesIn("debian-6.1-x86_64-lkdtm-warning.log");

        Verdict wrongTitle = Verdict.judge(expecting(new Expectation.Crash(CrashKind.WARNING,
                Pattern.compile("in some_other_function")), 0), crashes);

        assertEquals(Outcome.FAIL, wrongTitle.outcome());
        assertTrue(wrongTitle.reason().startsWith("expected a warning crash titled /in some_other_function/, found warning"),
                wrongTitle.reason());
    }

    @Test
    void aCrashWhereNoneWasExpectedIsAFail() throws IOException {
        Verdict verdict = Verdict.judge(expecting(new Expectation.NoCrash(), 917206),
                crashesIn("debian-6.1-x86_64-lkdtm-bug.log"));

        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.reason().startsWith("unexpected crash: kernel BUG at"), verdict.reason());
        assertTrue(verdict.reason().contains("Debian bug #917206 reproduced?"), verdict.reason());
    }

    @Test
    void noCrashWhenNoneIsExpectedSaysTheBugDidNotReproduce() {
        Verdict verdict = Verdict.judge(expecting(new Expectation.NoCrash(), 917206), List.of());

        assertEquals(Outcome.PASS, verdict.outcome());
        assertEquals("no crash: Debian bug #917206 did not reproduce", verdict.reason());
    }

    @Test
    void aMissingCrashIsAFail() {
        Verdict verdict = Verdict.judge(expecting(new Expectation.Crash(CrashKind.HUNG_TASK, null), 0), List.of());

        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.reason().endsWith("but the kernel did not crash"), verdict.reason());
    }
}
