package org.kernelrig.run;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashKind;
import org.kernelrig.report.Outcome;
import org.kernelrig.scenario.Expectation;
import org.kernelrig.scenario.Scenario;

/**
 * Whether the kernel did what a scenario expects, from the crashes found.
 * Pure: the lab's own failures are decided elsewhere and never reach here.
 */
public record Verdict(Outcome outcome, String reason, Crash matched) {

    /** The kinds that print an oops: an {@code oops} expectation accepts any of them. */
    static final Set<CrashKind> OOPS_FAMILY = EnumSet.of(CrashKind.OOPS, CrashKind.NULL_POINTER_DEREFERENCE,
            CrashKind.PAGE_FAULT, CrashKind.GENERAL_PROTECTION_FAULT, CrashKind.KERNEL_BUG, CrashKind.INVALID_OPCODE,
            CrashKind.DIVIDE_ERROR, CrashKind.DOUBLE_FAULT, CrashKind.STACK_PROTECTOR, CrashKind.STACK_OVERFLOW);

    /**
     * The same verdict, whose reason says that netconsole datagrams were lost
     * before rig could read them: the trace judged may lack lines.
     */
    public Verdict withNetconsoleLoss(long lost) {
        return lost > 0 ? new Verdict(outcome, reason + " (netconsole " + lossNote(lost) + ")", matched) : this;
    }

    /** "lost N datagrams before rig could read them (...)", for reports and the run's log. */
    static String lossNote(long lost) {
        return "lost " + lost + " datagram" + (lost == 1 ? "" : "s") + " before rig could read them"
                + " (the doctor's socket buffer was full)";
    }

    public static Verdict judge(Scenario scenario, List<Crash> crashes) {
        Expectation expect = scenario.expect();
        if (expect instanceof Expectation.NoCrash) {
            if (crashes.isEmpty()) {
                String reason = scenario.debianBug() > 0
                        ? "no crash: Debian bug #" + scenario.debianBug() + " did not reproduce"
                        : "no crash, as expected";
                return new Verdict(Outcome.PASS, reason, null);
            }
            Crash first = crashes.get(0);
            return new Verdict(Outcome.FAIL, "unexpected crash: " + headline(first)
                    + (scenario.debianBug() > 0 ? " (Debian bug #" + scenario.debianBug() + " reproduced?)" : ""), first);
        }
        Expectation.Crash wanted = (Expectation.Crash) expect;
        Optional<Crash> match = crashes.stream().filter(c -> matches(wanted, c)).findFirst();
        if (match.isPresent()) {
            return new Verdict(Outcome.PASS, "expected " + wanted.kind().id() + " crash: " + headline(match.get()),
                    match.get());
        }
        if (crashes.isEmpty()) {
            return new Verdict(Outcome.FAIL, "expected a " + wanted.describe() + ", but the kernel did not crash", null);
        }
        Crash first = crashes.get(0);
        return new Verdict(Outcome.FAIL, "expected a " + wanted.describe() + ", found " + first.kind().id() + ": "
                + headline(first), first);
    }

    /** The crash's first line as the kernel printed it, which people recognise; the title otherwise. */
    static String headline(Crash crash) {
        return crash.report().isEmpty() ? crash.title() : crash.report().get(0).strip();
    }

    static boolean matches(Expectation.Crash wanted, Crash crash) {
        boolean kind = crash.kind() == wanted.kind()
                || wanted.kind() == CrashKind.PANIC && crash.panicked()
                || wanted.kind() == CrashKind.OOPS && OOPS_FAMILY.contains(crash.kind());
        return kind && (wanted.title() == null || titleMatches(wanted.title(), crash));
    }

    private static boolean titleMatches(Pattern title, Crash crash) {
        if (title.matcher(crash.title()).find()) {
            return true;
        }
        if (crash.alternativeTitles().stream().anyMatch(t -> title.matcher(t).find())) {
            return true;
        }
        // The kernel's own words count too: "Kernel panic - not syncing: ..." as printed.
        return crash.report().stream().anyMatch(line -> title.matcher(line.strip()).find());
    }
}
