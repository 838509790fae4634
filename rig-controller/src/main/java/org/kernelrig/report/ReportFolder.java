package org.kernelrig.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.kernelrig.console.TimelineEntry;

/**
 * One run's folder, {@code reports/<run-id>/}: the raw logs the run wrote
 * while it ran, and the reports written at its end. Each report file is
 * written under a temporary name and renamed, so that a reader never sees
 * half a report.
 */
public final class ReportFolder {

    private final Path directory;
    private final KcidbReport kcidb;

    public ReportFolder(Path directory) throws IOException {
        this(directory, null);
    }

    /** @param kcidb how to write the run's kcidb.json, or null for none */
    public ReportFolder(Path directory, KcidbReport kcidb) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.kcidb = kcidb;
    }

    public Path directory() {
        return directory;
    }

    public Path file(String name) {
        return directory.resolve(name);
    }

    /** Writes report.json, report.html, junit.xml, summary.txt and, when asked for, kcidb.json. */
    public void write(RunReport report, List<TimelineEntry> console) throws IOException {
        atomically("report.json", JsonReport.render(report));
        if (kcidb != null) {
            atomically(KcidbReport.FILE_NAME, kcidb.render(List.of(report), directory.getParent()));
        }
        atomically("summary.txt", SummaryText.render(report));
        atomically("junit.xml", JUnitReport.render(List.of(report), "rig"));
        atomically("report.html", HtmlReport.render(report, console));
    }

    /** Writes {@code name} under a temporary name first, so that a reader never sees half of it. */
    public void atomically(String name, String content) throws IOException {
        Path temporary = directory.resolve("." + name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
