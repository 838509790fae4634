package org.kernelrig.suite;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.kernelrig.report.Html;
import org.kernelrig.report.Outcome;
import org.kernelrig.suite.CrashChanges.Comparison;
import org.kernelrig.suite.SuiteReport.BrokenBoard;
import org.kernelrig.suite.SuiteReport.Change;
import org.kernelrig.suite.SuiteReport.Counts;
import org.kernelrig.suite.SuiteReport.KnownBug;
import org.kernelrig.suite.SuiteReport.SuiteCrash;
import org.kernelrig.suite.SuiteReport.SuiteRun;

/**
 * {@code index.html} of a suite: the page to read in the morning. A summary
 * line, the broken boards, a matrix of boards by scenarios with each run's
 * outcome, crash, new/still/gone marks and known bugs, each cell linking to
 * its run's report, and the lists of new and gone crashes. Self-contained;
 * everything that came from a board is escaped.
 */
public final class SuiteHtml {

    /** The crashes one cell lists; the run's own page has all of them. */
    static final int CRASHES_PER_CELL = 3;
    private static final int HEADLINE_CHARS = 140;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private SuiteHtml() {
    }

    public static String render(SuiteReport suite) {
        StringBuilder h = new StringBuilder(32 * 1024);
        Outcome outcome = suite.outcome();
        String word = outcome.name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(word).append(" · suite ").append(Html.escape(suite.suiteId()))
                .append(" · rig</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        h.append("<header class=\"verdict ").append(word.toLowerCase(Locale.ROOT)).append("\"><div class=\"word\">")
                .append(word).append("</div><div><h1>Suite ").append(Html.escape(suite.suiteId()))
                .append("</h1><p class=\"summary\">").append(Html.escape(summaryLine(suite))).append("</p></div></header>\n<main>\n");

        facts(h, suite);
        broken(h, suite);
        matrix(h, suite);
        changes(h, suite);
        if (!suite.warnings().isEmpty()) {
            h.append("<section><h2>Warnings</h2><ul>");
            suite.warnings().forEach(w -> h.append("<li>").append(Html.escape(w)).append("</li>"));
            h.append("</ul></section>\n");
        }
        h.append("</main><footer>rig ").append(Html.escape(suite.rigVersion())).append(" · suite ")
                .append(Html.escape(suite.suiteId()))
                .append(" · <a href=\"summary.json\">summary.json</a> · <a href=\"junit.xml\">junit.xml</a></footer>")
                .append("</body></html>\n");
        return h.toString();
    }

    /** {@code 4 pass · 1 fail · 1 error · 1 new crash · 1 gone · 1 board broken}. */
    public static String summaryLine(SuiteReport suite) {
        Counts c = suite.counts();
        List<String> parts = new ArrayList<>();
        parts.add(c.pass() + " pass");
        parts.add(c.fail() + " fail");
        parts.add(c.error() + " error");
        parts.add(c.newCrashes() + (c.newCrashes() == 1 ? " new crash" : " new crashes"));
        parts.add(c.goneCrashes() + " gone");
        if (c.knownCrashes() > 0) {
            parts.add(c.knownCrashes() + " known");
        }
        parts.add(c.brokenBoards() + (c.brokenBoards() == 1 ? " board broken" : " boards broken"));
        return String.join(" · ", parts);
    }

    private static void facts(StringBuilder h, SuiteReport s) {
        h.append("<section><table class=\"facts\">");
        String releases = s.runs().stream().map(SuiteRun::kernelRelease).filter(k -> k != null).distinct()
                .collect(Collectors.joining(", "));
        if (s.kernel() != null) {
            row(h, "Kernel under test", s.kernel() + (releases.isEmpty() ? "" : " · the boards ran " + releases));
        } else if (!releases.isEmpty()) {
            row(h, "Kernel", releases);
        }
        row(h, "Started", TIME.format(s.started()) + ", took " + minutes(Duration.between(s.started(), s.ended())));
        row(h, "Matrix", s.boards().size() + (s.boards().size() == 1 ? " board × " : " boards × ") + s.scenarios().size()
                + (s.scenarios().size() == 1 ? " scenario, " : " scenarios, ") + s.runs().size()
                + (s.runs().size() == 1 ? " run" : " runs"));
        if (s.comparedWith() != null) {
            row(h, "Compared with", s.comparedWith());
        }
        h.append("</table></section>\n");
    }

    private static void broken(StringBuilder h, SuiteReport s) {
        if (s.brokenBoards().isEmpty()) {
            return;
        }
        h.append("<section class=\"broken\"><h2>Boards that need a person</h2><ul>");
        for (BrokenBoard board : s.brokenBoards()) {
            h.append("<li><b>").append(Html.escape(board.board())).append("</b>: ").append(Html.escape(board.why()));
            for (String runId : board.runIds()) {
                h.append(" <a href=\"").append(reportLink(runId)).append("\">").append(Html.escape(runId)).append("</a>");
            }
            h.append("</li>");
        }
        h.append("</ul></section>\n");
    }

    private static void matrix(StringBuilder h, SuiteReport s) {
        h.append("<section><h2>Boards × scenarios</h2><div class=\"scroll\"><table class=\"matrix\"><thead><tr><th></th>");
        for (String scenario : s.scenarios()) {
            h.append("<th>").append(Html.escape(scenario));
            s.runs().stream().filter(r -> r.scenario().equals(scenario) && r.debianBug() > 0).findFirst()
                    .ifPresent(r -> h.append(" <a class=\"bug\" href=\"https://bugs.debian.org/").append(r.debianBug())
                            .append("\">#").append(r.debianBug()).append("</a>"));
            h.append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (String board : s.boards()) {
            boolean broken = s.brokenBoards().stream().anyMatch(b -> b.board().equals(board));
            h.append("<tr><th class=\"board").append(broken ? " is-broken" : "").append("\">").append(Html.escape(board));
            if (broken) {
                h.append("<span class=\"mark broken\">broken</span>");
            }
            h.append("</th>");
            for (String scenario : s.scenarios()) {
                List<SuiteRun> runs = s.runs().stream().filter(r -> r.board().equals(board) && r.scenario().equals(scenario))
                        .toList();
                if (runs.isEmpty()) {
                    h.append("<td class=\"cell none\">not run</td>");
                    continue;
                }
                Outcome worst = runs.stream().map(SuiteRun::outcome).reduce(Outcome.PASS, Outcome::worse);
                h.append("<td class=\"cell ").append(worst.name().toLowerCase(Locale.ROOT)).append("\">");
                runs.forEach(run -> cell(h, run));
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static void cell(StringBuilder h, SuiteRun run) {
        h.append("<div class=\"run\"><a class=\"outcome ").append(run.outcome().name().toLowerCase(Locale.ROOT))
                .append("\" href=\"").append(reportLink(run.folder())).append("\" title=\"")
                .append(Html.escape(run.runId())).append("\">").append(run.outcome().name()).append("</a>");
        if (run.comparison() == Comparison.FIRST_RUN) {
            h.append("<span class=\"mark first\">first run</span>");
        } else if (run.comparison() == Comparison.NOT_OBSERVED) {
            h.append("<span class=\"mark first\">not compared</span>");
        }
        // The crash says what happened; the reason is for runs without one and for lab errors.
        if (run.crashes().isEmpty() || run.outcome() == Outcome.ERROR) {
            h.append("<div class=\"reason\">").append(Html.escape(shorten(firstLine(run.reason())))).append("</div>");
        }
        run.crashes().stream().limit(CRASHES_PER_CELL).forEach(c -> crashLine(h, c, c.headline()));
        if (run.crashes().size() > CRASHES_PER_CELL) {
            h.append("<div class=\"more\">and ").append(run.crashes().size() - CRASHES_PER_CELL).append(" more</div>");
        }
        run.gone().forEach(c -> crashLine(h, c, c.title()));
        h.append("</div>");
    }

    private static void crashLine(StringBuilder h, SuiteCrash crash, String text) {
        h.append("<div class=\"crash").append(crash.change() == Change.GONE ? " was" : "").append("\">");
        if (crash.change() != null) {
            String mark = crash.change().name().toLowerCase(Locale.ROOT);
            h.append("<span class=\"mark ").append(mark).append("\">").append(mark).append("</span>");
        }
        h.append("<code title=\"").append(Html.escape(crash.title())).append("\">").append(Html.escape(shorten(text)))
                .append("</code>");
        known(h, crash.known());
        h.append("</div>");
    }

    private static void known(StringBuilder h, KnownBug known) {
        if (known == null) {
            return;
        }
        String note = known.note() == null ? known.name() : known.name() + ": " + known.note();
        if (known.debianBug() > 0) {
            h.append(" <a class=\"bug\" href=\"https://bugs.debian.org/").append(known.debianBug()).append("\" title=\"")
                    .append(Html.escape(note)).append("\">Debian #").append(known.debianBug()).append("</a>");
        } else {
            h.append(" <span class=\"bug\" title=\"").append(Html.escape(note)).append("\">known: ")
                    .append(Html.escape(known.name())).append("</span>");
        }
    }

    private static void changes(StringBuilder h, SuiteReport s) {
        h.append("<section><h2>New crashes</h2>");
        list(h, s, false);
        h.append("<h2>Gone since the previous run</h2>");
        list(h, s, true);
        h.append("</section>\n");
    }

    private static void list(StringBuilder h, SuiteReport s, boolean gone) {
        boolean any = false;
        for (SuiteRun run : s.runs()) {
            List<SuiteCrash> crashes = gone ? run.gone()
                    : run.crashes().stream().filter(c -> c.change() == Change.NEW).toList();
            for (SuiteCrash c : crashes) {
                if (!any) {
                    h.append("<table class=\"changes\"><tr><th>board</th><th>scenario</th><th>crash</th>"
                            + "<th>fingerprint</th></tr>");
                    any = true;
                }
                h.append("<tr><td>").append(Html.escape(run.board())).append("</td><td><a href=\"")
                        .append(reportLink(run.folder())).append("\">").append(Html.escape(run.scenario()))
                        .append("</a></td><td><code>").append(Html.escape(shorten(c.headline())))
                        .append("</code><div class=\"title\">").append(Html.escape(c.kind())).append(" · ")
                        .append(Html.escape(c.title()));
                known(h, c.known());
                h.append("</div></td><td><code>").append(Html.escape(c.fingerprint())).append("</code></td></tr>");
            }
        }
        h.append(any ? "</table>" : "<p>None.</p>");
    }

    /** The link to a run's page: its folder as one path segment, percent-encoded beyond a safe set. */
    static String reportLink(String folder) {
        StringBuilder link = new StringBuilder();
        for (byte b : (folder == null ? "" : folder).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '~')) {
                link.append(c);
            } else {
                link.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        String segment = link.toString();
        if (segment.isEmpty()) {
            return "#";
        }
        if (segment.equals(".") || segment.equals("..")) {
            segment = segment.replace(".", "%2E");
        }
        return Html.escape(segment + "/report.html");
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= HEADLINE_CHARS ? text : text.substring(0, HEADLINE_CHARS - 1) + "…";
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(name).append("</th><td>").append(Html.escape(value)).append("</td></tr>");
    }

    private static String minutes(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        return seconds < 120 ? seconds + " s" : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    private static final String STYLE = String.join("\n",
            "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2329;background:#f6f7f9}",
            "main{max-width:1400px;margin:0 auto;padding:0 1.2em 2em}",
            ".verdict{display:flex;gap:1.2em;align-items:center;padding:1em 1.6em;color:#fff}",
            ".verdict h1{margin:0;font-size:1.35em}.verdict p{margin:.2em 0 0;font-size:1.1em}",
            ".verdict .word{font-size:2.2em;font-weight:800;letter-spacing:.04em}",
            ".verdict.pass{background:#1e7d32}.verdict.fail{background:#c62828}.verdict.error{background:#b26a00}",
            "section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:1em 0;padding:.6em 1.2em}",
            "section.broken{border-color:#e0a040;background:#fff8ec}",
            "h2{font-size:1.1em;margin:.4em 0}",
            "table{border-collapse:collapse}th{text-align:left;padding:.2em .8em .2em 0;vertical-align:top;white-space:nowrap}",
            "td{padding:.15em .5em .15em 0;vertical-align:top}",
            ".scroll{overflow-x:auto}",
            ".matrix th,.matrix td{border:1px solid #dde1e6;padding:.45em .6em}",
            ".matrix thead th{background:#eef1f4}.matrix th.board{background:#eef1f4}",
            ".matrix td.cell{min-width:14em;max-width:30em}",
            ".cell.pass{background:#eef8ef}.cell.fail{background:#fdecec}.cell.error{background:#fff4e0}",
            ".cell.none{color:#8a929c;font-style:italic}",
            ".run+.run{border-top:1px dashed #c9ced4;margin-top:.4em;padding-top:.4em}",
            "a.outcome{display:inline-block;font-weight:800;letter-spacing:.03em;text-decoration:none;color:#fff;",
            "  border-radius:3px;padding:0 .5em;margin-right:.4em}",
            "a.outcome.pass{background:#1e7d32}a.outcome.fail{background:#c62828}a.outcome.error{background:#b26a00}",
            ".reason{color:#4a525c;font-size:.88em;margin-top:.15em}",
            ".crash{margin-top:.25em;font-size:.88em}.crash code{font:12.5px/1.35 ui-monospace,monospace;word-break:break-word}",
            ".crash.was code{color:#6b7480;text-decoration:line-through}",
            ".mark{display:inline-block;border-radius:3px;padding:0 .4em;margin-right:.35em;font-size:.78em;font-weight:700;",
            "  text-transform:uppercase;letter-spacing:.03em;background:#e8ebef;color:#4a525c}",
            ".mark.new{background:#c62828;color:#fff}.mark.still{background:#d5d9de}.mark.gone{background:#1e7d32;color:#fff}",
            ".mark.first{background:#d6e9fb;color:#1d4f80}.mark.broken{background:#b26a00;color:#fff;margin-left:.5em}",
            ".bug{font-size:.85em;white-space:nowrap}span.bug{color:#6b7480}",
            ".more{color:#6b7480;font-size:.85em}",
            ".changes{width:100%}.changes td,.changes th{border-bottom:1px solid #eef0f2;padding:.3em .6em .3em 0}",
            ".changes .title{color:#6b7480;font-size:.85em}",
            "footer{color:#6b7480;text-align:center;padding:1em;font-size:.85em}");
}
