package org.kernelrig.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.kernelrig.report.RunReport.CrashFinding;

/**
 * {@code summary.txt}: plain text ready to paste into a Debian bug report:
 * kernel version, hardware, what was done, what happened, and the trace.
 */
public final class SummaryText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private SummaryText() {
    }

    public static String render(RunReport r) {
        StringBuilder s = new StringBuilder();
        s.append("Outcome:   ").append(r.outcome()).append(" - ").append(r.reason()).append('\n');
        s.append("Scenario:  ").append(r.scenario().name());
        if (r.scenario().debianBug() > 0) {
            s.append(" (Debian bug #").append(r.scenario().debianBug()).append(')');
        }
        s.append('\n');
        if (r.kernel() != null && r.kernel().release() != null) {
            s.append("Kernel:    ").append(r.kernel().release()).append(' ').append(nullToEmpty(r.kernel().version()))
                    .append('\n');
        }
        if (r.kernel() != null && (r.kernel().hardware() != null || r.kernel().machine() != null)) {
            s.append("Hardware:  ").append(r.kernel().hardware() == null ? "" : r.kernel().hardware())
                    .append(r.kernel().machine() == null ? "" : " (" + r.kernel().machine() + ")").append('\n');
        }
        s.append("Board:     ").append(r.board().name()).append(" (").append(r.board().kind()).append(")\n");
        s.append("Date:      ").append(TIME.format(r.started())).append('\n');
        s.append('\n').append("What was done:\n");
        List<String> witnesses = new java.util.ArrayList<>();
        if (r.netconsole() != null && r.netconsole().enabled()) {
            witnesses.add("sent over UDP with netconsole");
        }
        if (r.serial() != null && r.serial().enabled()) {
            witnesses.add("read from the serial console");
        }
        if (r.pstore() != null && r.pstore().enabled()) {
            witnesses.add("read from the crash records pstore kept across the reboot");
        }
        s.append("  The kernel's log was ").append(witnesses.isEmpty() ? "not captured"
                : String.join(witnesses.size() > 2 ? ", " : " and ", witnesses.subList(0, witnesses.size() - 1))
                        + (witnesses.size() > 1 ? (witnesses.size() > 2 ? ", and " : " and ") : "")
                        + witnesses.get(witnesses.size() - 1));
        s.append("; the trigger: ").append(r.scenario().trigger()).append(".\n");
        s.append("  Expected: ").append(r.scenario().expectation()).append(".\n");
        if (r.recovery() != null) {
            s.append("  The board was brought back by ").append(r.recovery().method())
                    .append(r.recovery().boardBack() ? "." : ", and did NOT come back.").append('\n');
        }
        if (r.crashes().isEmpty()) {
            s.append("\nNo crash was seen.\n");
        }
        for (CrashFinding crash : r.crashes()) {
            s.append('\n').append(crash.headline()).append('\n');
            s.append(String.format(Locale.ROOT, "(%s%s, title \"%s\", seen on %s)%n", crash.kind(),
                    crash.panicked() ? ", panicked" : "", crash.title(),
                    String.join(" and ", crash.witnesses().stream().sorted().toList())
                            + (crash.witnesses().equals(java.util.Set.of("pstore")) ? ", recovered after the reboot" : "")));
            s.append('\n');
            crash.lines().forEach(line -> s.append(line).append('\n'));
            sourceLines(s, crash);
        }
        s.append("\n-- \nrig ").append(r.rigVersion()).append(", run ").append(r.runId()).append('\n');
        return s.toString();
    }

    /** The frames with their source lines, as the kernel's decode_stacktrace.sh would show them. */
    private static void sourceLines(StringBuilder s, CrashFinding crash) {
        if (crash.sourceFrames().stream().anyMatch(f -> f.file() != null)) {
            s.append("\nSource lines, from the kernel's debug info:\n");
            for (RunReport.SourceFrame frame : crash.sourceFrames()) {
                s.append("  ").append(frame.frame()).append(frame.site() ? " (crash site)" : "").append(": ")
                        .append(frame.file() == null ? "?" : frame.location()).append('\n');
                frame.inlinedInto().forEach(caller -> s.append("      inlined into ").append(caller).append('\n'));
            }
        }
        if (crash.sourceNote() != null) {
            s.append("\nNote: ").append(crash.sourceNote()).append(".\n");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
