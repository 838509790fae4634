package org.kernelrig.report;

import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.kernelrig.report.RunReport.CrashFinding;

/**
 * {@code junit.xml} as Jenkins and GitLab read it: one test case per
 * scenario run, a {@code failure} for a fail, an {@code error} for a lab
 * error, with the crash title and trace.
 */
public final class JUnitReport {

    private JUnitReport() {
    }

    public static String render(List<RunReport> runs, String suiteName) {
        return render(runs, suiteName, run -> "reports/" + run.runId() + "/report.html");
    }

    /**
     * The same, with each test case pointing at its run's page where
     * {@code reportPath} says (runs of a suite live in the suite's folder).
     */
    public static String render(List<RunReport> runs, String suiteName, Function<RunReport, String> reportPath) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            long failures = runs.stream().filter(r -> r.outcome() == Outcome.FAIL).count();
            long errors = runs.stream().filter(r -> r.outcome() == Outcome.ERROR).count();
            double time = runs.stream().mapToLong(r -> r.took().toMillis()).sum() / 1000.0;
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suiteName);
            xml.writeAttribute("tests", String.valueOf(runs.size()));
            xml.writeAttribute("failures", String.valueOf(failures));
            xml.writeAttribute("errors", String.valueOf(errors));
            xml.writeAttribute("time", seconds(time));
            for (RunReport run : runs) {
                xml.writeCharacters("\n  ");
                testCase(xml, run, reportPath.apply(run));
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void testCase(XMLStreamWriter xml, RunReport run, String reportPath) throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "rig." + clean(run.board().name()));
        xml.writeAttribute("name", clean(run.scenario().name()));
        xml.writeAttribute("time", seconds(run.took().toMillis() / 1000.0));
        if (run.outcome() != Outcome.PASS) {
            xml.writeStartElement(run.outcome() == Outcome.FAIL ? "failure" : "error");
            xml.writeAttribute("message", clean(run.reason()));
            CrashFinding crash = run.crashes().isEmpty() ? null : run.crashes().get(0);
            xml.writeAttribute("type", crash == null ? run.outcome().name().toLowerCase(Locale.ROOT) : clean(crash.kind()));
            StringBuilder body = new StringBuilder(run.reason()).append('\n');
            for (CrashFinding c : run.crashes()) {
                body.append('\n').append(c.headline()).append(" (").append(c.title()).append(")\n");
                c.lines().forEach(l -> body.append(l).append('\n'));
            }
            xml.writeCharacters(clean(body.toString()));
            xml.writeEndElement();
        }
        xml.writeStartElement("system-out");
        xml.writeCharacters(clean("report: " + reportPath + "\n"));
        xml.writeEndElement();
        xml.writeEndElement();
    }

    /** Leaves out the characters XML 1.0 cannot hold at all (a board may send any byte). */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
