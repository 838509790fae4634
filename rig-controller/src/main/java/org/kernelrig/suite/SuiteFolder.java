package org.kernelrig.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import org.kernelrig.report.JUnitReport;
import org.kernelrig.report.RunReport;

/**
 * A suite's folder, {@code reports/<suite-id>/}: one run folder per run
 * ({@code reports/<suite-id>/<run-id>/}, as {@link org.kernelrig.run.ScenarioRunner}
 * writes them when given this folder as its reports folder), and the suite's
 * own {@code summary.json}, {@code junit.xml} and {@code index.html}, each
 * written under a temporary name and renamed.
 */
public final class SuiteFolder {

    /** Summary files of a suite. */
    public static final String INDEX = "index.html";
    public static final String SUMMARY = "summary.json";
    public static final String JUNIT = "junit.xml";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path directory;

    private SuiteFolder(Path directory) {
        this.directory = directory;
    }

    /**
     * Makes a new folder {@code <reports>/<UTC time>-<name>}
     * ({@code 20261124-020000-nightly}), with {@code -2}, {@code -3} ... when it exists.
     *
     * @param name letters, digits, '.', '_' or '-', such as {@code nightly}
     */
    public static SuiteFolder create(Path reports, Instant started, String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a suite name is 1 to 64 letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        Files.createDirectories(reports);
        String id = ID_TIME.format(started) + "-" + name;
        for (int n = 2; ; n++) {
            Path candidate = reports.resolve(id);
            try {
                return new SuiteFolder(Files.createDirectory(candidate));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                id = ID_TIME.format(started) + "-" + name + "-" + n;
            }
        }
    }

    /** An existing suite folder, for writing its summary again. */
    public static SuiteFolder at(Path directory) throws IOException {
        return new SuiteFolder(Files.createDirectories(directory));
    }

    /** The suite id: the folder's name. */
    public String suiteId() {
        return directory.getFileName().toString();
    }

    /** The folder; give it to the runner as its reports folder. */
    public Path directory() {
        return directory;
    }

    public Path file(String name) {
        return directory.resolve(name);
    }

    /** Writes summary.json, junit.xml and, last, index.html. */
    public void write(SuiteReport report, List<RunReport> runs) throws IOException {
        atomically(SUMMARY, SuiteJson.render(report));
        String reports = directory.getParent() == null ? "" : directory.getParent().getFileName() + "/";
        atomically(JUNIT, JUnitReport.render(runs, "rig suite " + report.suiteId(),
                run -> reports + suiteId() + "/" + run.runId() + "/report.html"));
        atomically(INDEX, SuiteHtml.render(report));
    }

    private void atomically(String name, String content) throws IOException {
        Path temporary = directory.resolve("." + name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
