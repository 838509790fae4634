package org.kernelrig.report;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kernelrig.console.TimelineEntry;
import org.kernelrig.report.RunReport.CrashFinding;
import org.kernelrig.report.RunReport.PhaseRecord;

/**
 * {@code report.html}: one self-contained page with the verdict at the top,
 * the crashes with their traces, the phases on a time line, and the merged
 * console with the witness of each line. Everything from the board is escaped.
 */
public final class HtmlReport {

    /** The most console lines the page shows; the rest is in timeline.log. */
    static final int MAX_CONSOLE_LINES = 20_000;
    /** A reliable stack frame line: {@code  sysrq_handle_crash+0x16/0x20}, not a {@code ? } guess. */
    private static final Pattern FRAME_LINE = Pattern.compile("^\\s*([A-Za-z_][\\w.]*)\\+0x[0-9a-f]+/0x[0-9a-f]+");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    public static String render(RunReport report, List<TimelineEntry> console) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String verdict = report.outcome().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(verdict).append(" · ").append(Html.escape(report.scenario().name()))
                .append(" on ").append(Html.escape(report.board().name())).append(" · rig</title>\n<style>")
                .append(STYLE).append("</style></head><body>\n");

        h.append("<header class=\"verdict ").append(verdict.toLowerCase(Locale.ROOT)).append("\"><div class=\"word\">")
                .append(verdict).append("</div><div><h1>").append(Html.escape(report.scenario().name()))
                .append(" on ").append(Html.escape(report.board().name())).append("</h1><p>")
                .append(Html.escape(report.reason())).append("</p></div></header>\n<main>\n");

        facts(h, report);
        if (!report.warnings().isEmpty()) {
            h.append("<section><h2>Warnings</h2><ul>");
            report.warnings().forEach(w -> h.append("<li>").append(Html.escape(w)).append("</li>"));
            h.append("</ul></section>\n");
        }
        crashes(h, report);
        phases(h, report);
        console(h, report, console);
        h.append("<section><h2>Files</h2><p class=\"files\">");
        for (String file : List.of("summary.txt", "report.json", "junit.xml", "timeline.log", "netconsole.log",
                "serial.log", "run.log")) {
            h.append("<a href=\"").append(file).append("\">").append(file).append("</a> ");
        }
        h.append("</p></section>\n</main><footer>rig ").append(Html.escape(report.rigVersion())).append(" · run ")
                .append(Html.escape(report.runId())).append("</footer></body></html>\n");
        return h.toString();
    }

    private static void facts(StringBuilder h, RunReport r) {
        h.append("<section><table class=\"facts\">");
        row(h, "Scenario", r.scenario().name() + (r.scenario().description().isEmpty() ? "" : ": " + r.scenario().description()));
        if (r.scenario().debianBug() > 0) {
            h.append("<tr><th>Debian bug</th><td><a href=\"https://bugs.debian.org/").append(r.scenario().debianBug())
                    .append("\">#").append(r.scenario().debianBug()).append("</a></td></tr>");
        }
        row(h, "Trigger", r.scenario().trigger());
        row(h, "Expected", r.scenario().expectation());
        row(h, "Board", r.board().name() + " (" + r.board().kind() + ", " + r.board().address() + ", power "
                + r.board().power() + ")");
        if (r.kernel() != null && r.kernel().release() != null) {
            row(h, "Kernel", r.kernel().release() + " " + nullToEmpty(r.kernel().version()));
        }
        if (r.kernel() != null && r.kernel().hardware() != null) {
            row(h, "Hardware", r.kernel().hardware());
        }
        row(h, "Started", TIME.format(r.started()) + ", took " + seconds(r.took()));
        if (r.recovery() != null) {
            row(h, "Recovery", r.recovery().method() + (r.recovery().boardBack() ? ", board back" : ", board NOT back")
                    + (r.recovery().took() == null ? "" : " after " + seconds(r.recovery().took()))
                    + (r.recovery().detail() == null ? "" : " (" + r.recovery().detail() + ")"));
        }
        row(h, "Netconsole", witness(r.netconsole()));
        row(h, "Serial", witness(r.serial()));
        row(h, "Pstore", witness(r.pstore()));
        h.append("</table></section>\n");
    }

    private static String witness(RunReport.WitnessStats stats) {
        if (stats == null || !stats.enabled()) {
            return "off" + (stats == null || stats.note() == null ? "" : ": " + stats.note());
        }
        StringBuilder text = new StringBuilder(stats.lines() + " lines");
        stats.counters().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> text.append(", ").append(e.getKey()).append(' ').append(e.getValue()));
        if (stats.note() != null) {
            text.append("; ").append(stats.note());
        }
        return text.toString();
    }

    private static void crashes(StringBuilder h, RunReport r) {
        h.append("<section><h2>Crashes</h2>");
        if (r.crashes().isEmpty()) {
            h.append("<p>No crash in the console.</p>");
        }
        for (CrashFinding crash : r.crashes()) {
            h.append("<article class=\"crash\"><h3>").append(Html.escape(crash.headline())).append("</h3>")
                    .append("<p class=\"title\">").append(Html.escape(crash.title())).append("</p><p class=\"tags\">")
                    .append("<span class=\"tag\">").append(Html.escape(crash.kind())).append("</span>");
            if (crash.panicked()) {
                h.append("<span class=\"tag bad\">panicked</span>");
            }
            if (crash.corrupted()) {
                h.append("<span class=\"tag\">corrupted</span>");
            }
            h.append("<span class=\"tag\">").append(crash.complete() ? "complete" : "incomplete").append("</span>");
            for (String witness : crash.witnesses().stream().sorted().toList()) {
                h.append("<span class=\"tag witness\">").append(Html.escape(witness)).append("</span>");
            }
            if (crash.witnesses().equals(Set.of("pstore"))) {
                h.append("</p><p class=\"note\">Seen by no live witness: known only from the pstore records read "
                        + "after the reboot.");
            }
            h.append("</p><p>Guilty frame: <code>").append(Html.escape(crash.guiltyFrame() == null ? "unknown"
                    : crash.guiltyFrame())).append("</code> · fingerprint <code>").append(Html.escape(crash.fingerprint()))
                    .append("</code> · <a href=\"#l").append(crash.firstEntry()).append("\">console line ")
                    .append(crash.firstEntry()).append("</a></p><pre class=\"trace\">");
            Set<String> frames = new HashSet<>(crash.frames());
            for (int i = 0; i < crash.lines().size(); i++) {
                String line = crash.lines().get(i);
                Matcher call = FRAME_LINE.matcher(line);
                boolean frame = call.find() && frames.contains(call.group(1));
                h.append(i == 0 ? "<b>" : frame ? "<span class=\"frame\">" : "").append(Html.escape(line))
                        .append(i == 0 ? "</b>" : frame ? "</span>" : "").append('\n');
            }
            h.append("</pre>");
            sourceLines(h, crash);
            h.append("</article>");
        }
        h.append("</section>\n");
    }

    /** The frames with their source lines; a note when some have none. */
    private static void sourceLines(StringBuilder h, CrashFinding crash) {
        if (crash.sourceFrames().stream().anyMatch(f -> f.file() != null)) {
            h.append("<table class=\"sources\"><tr><th>Frame</th><th>Source line</th></tr>");
            for (RunReport.SourceFrame frame : crash.sourceFrames()) {
                h.append("<tr><td><code>").append(Html.escape(frame.frame())).append("</code>")
                        .append(frame.site() ? " <span class=\"tag bad\">crash site</span>" : "").append("</td><td><code>")
                        .append(frame.file() == null ? "?" : Html.escape(frame.location())).append("</code>");
                for (String caller : frame.inlinedInto()) {
                    h.append("<br>inlined into <code>").append(Html.escape(caller)).append("</code>");
                }
                h.append("</td></tr>");
            }
            h.append("</table>");
        }
        if (crash.sourceNote() != null) {
            h.append("<p class=\"note\">").append(Html.escape(crash.sourceNote())).append("</p>");
        }
    }

    private static void phases(StringBuilder h, RunReport r) {
        double total = Math.max(1, r.took().toMillis());
        h.append("<section><h2>Phases</h2><table class=\"phases\">");
        for (PhaseRecord phase : r.phases()) {
            double left = Duration.between(r.started(), phase.started()).toMillis() / total * 100;
            double width = Math.max(0.5, phase.took().toMillis() / total * 100);
            h.append("<tr class=\"").append(Html.escape(phase.status())).append("\"><th>").append(Html.escape(phase.name()))
                    .append("</th><td class=\"took\">").append(seconds(phase.took())).append("</td><td class=\"bar\"><div style=\"margin-left:")
                    .append(String.format(Locale.ROOT, "%.2f", left)).append("%;width:")
                    .append(String.format(Locale.ROOT, "%.2f", width)).append("%\"></div></td><td>")
                    .append(Html.escape(phase.status())).append(phase.detail() == null ? "" : ": " + Html.escape(phase.detail()))
                    .append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    private static void console(StringBuilder h, RunReport r, List<TimelineEntry> console) {
        h.append("<section><h2>Console</h2><p>Each kernel message once; N = netconsole, S = serial, P = pstore. "
                + "Lines of a crash are marked.</p>");
        int from = Math.max(0, console.size() - MAX_CONSOLE_LINES);
        if (from > 0) {
            h.append("<p>The first ").append(from).append(" lines are in <a href=\"timeline.log\">timeline.log</a>.</p>");
        }
        h.append("<table class=\"console\">");
        for (TimelineEntry entry : console.subList(from, console.size())) {
            boolean inCrash = r.crashes().stream().anyMatch(c -> entry.index() >= c.firstEntry() && entry.index() <= c.lastEntry());
            String cls = entry.gap() ? "gap" : inCrash ? "in-crash" : entry.seenOn().size() == 1
                    && !entry.seenOn().contains(org.kernelrig.console.ConsoleLine.Source.NETCONSOLE) ? "only" : "";
            double offset = Duration.between(r.started(), entry.arrival()).toMillis() / 1000.0;
            h.append("<tr id=\"l").append(entry.index()).append("\" class=\"").append(cls).append("\"><td>")
                    .append(String.format(Locale.ROOT, "%.3f", offset)).append("</td><td>").append(entry.witnesses())
                    .append(entry.seenOnly(org.kernelrig.console.ConsoleLine.Source.PSTORE)
                            ? " <span class=\"recovered\" title=\"recovered after the reboot\">after reboot</span>" : "")
                    .append("</td><td>").append(Html.escape(entry.text())).append("</td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(name).append("</th><td>").append(Html.escape(value)).append("</td></tr>");
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static final String STYLE = String.join("\n",
            "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2329;background:#f6f7f9}",
            "main{max-width:1200px;margin:0 auto;padding:0 1.2em 2em}",
            ".verdict{display:flex;gap:1.2em;align-items:center;padding:1em 1.6em;color:#fff}",
            ".verdict h1{margin:0;font-size:1.35em}.verdict p{margin:.2em 0 0}",
            ".verdict .word{font-size:2.2em;font-weight:800;letter-spacing:.04em}",
            ".pass{background:#1e7d32}.fail{background:#c62828}.error{background:#b26a00}",
            "section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:1em 0;padding:.6em 1.2em}",
            ".crash .title{margin:0;color:#6b7480;font-family:ui-monospace,monospace}",
            "h2{font-size:1.1em;margin:.4em 0}h3{margin:.3em 0;font-family:ui-monospace,monospace;font-size:1.05em}",
            "table{border-collapse:collapse;width:100%}th{text-align:left;padding:.2em .8em .2em 0;vertical-align:top;white-space:nowrap}",
            "td{padding:.15em .5em .15em 0;vertical-align:top}",
            ".tag{display:inline-block;background:#e8ebef;border-radius:3px;padding:0 .45em;margin-right:.35em;font-size:.85em}",
            ".tag.bad{background:#fbd3d3}.tag.witness{background:#d6e9fb}.recovered{font-size:80%;color:#6a4a00}",
            "pre.trace{background:#1d2329;color:#e6e6e6;padding:.8em;overflow:auto;font-size:13px;border-radius:4px}",
            "pre.trace b{color:#ff8a80}pre.trace .frame{color:#ffe082}",
            ".phases .bar{width:45%}.phases .bar div{height:.8em;background:#5c8dd6;border-radius:2px}",
            ".phases .failed .bar div,.phases .interrupted .bar div{background:#c62828}.phases .took{text-align:right;white-space:nowrap}",
            ".console{font:12.5px/1.35 ui-monospace,monospace}.console td:first-child{color:#6b7480;text-align:right;white-space:nowrap}",
            ".console td:nth-child(2){color:#6b7480;white-space:nowrap}.console td:last-child{white-space:pre-wrap;word-break:break-all}",
            ".console .in-crash{background:#fde7e7}.console .only td:nth-child(2){color:#b26a00;font-weight:700}",
            ".console .gap{background:#fff4d6;font-style:italic}",
            ".sources{font-size:13px;margin:.4em 0}.sources td{padding-right:1.2em}.note{color:#6a4a00}",
            "footer{color:#6b7480;text-align:center;padding:1em;font-size:.85em}.files a{margin-right:1em}");
}
