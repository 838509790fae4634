package org.kernelrig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.kernelrig.crash.Crash;
import org.kernelrig.crash.CrashAnalyzer;
import org.kernelrig.crash.LogInput;
import org.kernelrig.crash.LogReader;
import org.kernelrig.crash.StackFrame;
import org.kernelrig.report.RunReport.SourceFrame;
import org.kernelrig.symbols.CrashSymbolizer;
import org.kernelrig.symbols.CrashSymbolizer.CrashSources;
import org.kernelrig.symbols.DebugInfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig analyze FILE...}: the kernel crashes in console logs. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = {
    "Find, classify and title the kernel crashes in console logs.", "",
    "Reads plain, timestamped, netconsole, serial and syslog logs, also compressed, several side by side; says "
        + "each crash's kind, title, guilty frame, lines, whether the kernel panicked and whether the report is "
        + "complete. With --vmlinux or --modules, each frame's source file and line (addr2line, Debian's binutils).",
    "", "Exit 0 when every file was analysed, crashes or not; 2 when a file cannot be read."})
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Console logs, plain or compressed with gzip, "
            + "bzip2 or xz; - reads standard input.")
    List<String> files;

    @Option(names = "--json", description = "Print a JSON array, one object per file.")
    boolean json;

    @Option(names = "--report", description = "Also print each crash's lines without their console prefixes, "
            + "ready to paste into a bug report (in JSON: a report array per crash).")
    boolean report;

    @Option(names = "--vmlinux", paramLabel = "PATH", description = {"The kernel's vmlinux with debug info, or a "
            + "folder in Debian's layout (/usr/lib/debug from linux-image-RELEASE-dbg: boot/vmlinux-RELEASE and "
            + "lib/modules/RELEASE/ of the release the crash prints)."})
    Path vmlinux;

    @Option(names = "--modules", paramLabel = "DIR", description = "A folder with the modules' .ko files with debug "
            + "info, searched by module name.")
    Path modules;

    @Spec
    CommandSpec spec;

    private record Analysis(String file, List<Crash> crashes, List<CrashSources> sources) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.stream().filter("-"::equals).count() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "- (standard input) can be given once: it is read once");
        }
        DebugInfo debugInfo = DebugInfo.of(vmlinux, modules);
        List<String> problems = debugInfo.problems();
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("rig: " + problem));
            err.flush();
            return ExitCodes.INVALID;
        }
        CrashSymbolizer symbolizer = debugInfo.isEmpty() ? null : new CrashSymbolizer(debugInfo);
        List<Analysis> analyses = new ArrayList<>();
        boolean failed = false;
        // one analyzer is single-threaded: several logs are read side by side, one per core, and
        // reported in the order given
        int threads = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, job -> {
            Thread thread = new Thread(job, "rig-analyze");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<Crash>>> results = new ArrayList<>();
            for (String file : files) {
                results.add(pool.submit(() -> analyze(file)));
            }
            for (int i = 0; i < files.size(); i++) {
                String file = files.get(i);
                try {
                    List<Crash> crashes = crashes(results.get(i));
                    analyses.add(new Analysis(file, crashes, symbolizer == null ? null : symbolizer.symbolize(crashes, null)));
                } catch (NoSuchFileException e) {
                    err.println("rig: " + file + ": no such file");
                    failed = true;
                } catch (IOException e) {
                    err.println("rig: " + file + ": cannot read: " + e.getMessage());
                    failed = true;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Analysis analysis : analyses) {
                list.add(toJson(analysis, report));
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list));
        } else {
            for (Analysis analysis : analyses) {
                printSummary(out, analysis, report);
            }
        }
        out.flush();
        err.flush();
        return failed ? ExitCodes.INVALID : ExitCodes.OK;
    }

    /** The crashes a job found, or the error it met reading its file. */
    private static List<Crash> crashes(Future<List<Crash>> result) throws IOException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<Crash> analyze(String file) throws IOException {
        CrashAnalyzer analyzer = new CrashAnalyzer();
        if (file.equals("-")) {
            LogReader.read(LogInput.open(System.in), analyzer);
        } else {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw new IOException("is a directory");
            }
            try (InputStream in = LogInput.open(Files.newInputStream(path))) {
                LogReader.read(in, analyzer);
            }
        }
        return analyzer.finish();
    }

    private static void printSummary(PrintWriter out, Analysis analysis, boolean report) {
        List<Crash> crashes = analysis.crashes();
        String name = analysis.file().equals("-") ? "<stdin>" : analysis.file();
        if (crashes.isEmpty()) {
            out.println(name + ": no crash");
            return;
        }
        out.println(name + ": " + crashes.size() + (crashes.size() == 1 ? " crash" : " crashes"));
        int number = 1;
        for (int i = 0; i < crashes.size(); i++) {
            Crash crash = crashes.get(i);
            out.printf("  #%d %s%n", number++, crash.title());
            out.printf("     kind %s, lines %d-%d, %s, %s, %s%n", crash.kind().id(), crash.firstLine(), crash.lastLine(),
                    crash.panicked() ? "panicked" : "did not panic", crash.complete() ? "complete" : "incomplete",
                    crash.corrupted() ? "corrupted (" + crash.corruptedReason() + ")" : "not corrupted");
            out.printf("     guilty frame %s, fingerprint %s%n", crash.guiltyFrame() == null ? "unknown" : crash.guiltyFrame(),
                    crash.fingerprint());
            if (crash.kernelRelease() != null || crash.hardware() != null) {
                out.printf("     kernel %s%s%s%n", crash.kernelRelease() == null ? "unknown" : crash.kernelRelease(),
                        crash.taint() == null || crash.taint().isEmpty() ? "" : " tainted " + crash.taint(),
                        crash.hardware() == null ? "" : " on " + crash.hardware());
            }
            if (analysis.sources() != null) {
                printSources(out, analysis.sources().get(i));
            }
            if (report) {
                out.println();
                crash.report().forEach(line -> out.println("     " + line));
                out.println();
            }
        }
    }

    private static void printSources(PrintWriter out, CrashSources sources) {
        for (SourceFrame frame : sources.frames()) {
            out.printf("     %s%s: %s%n", frame.frame(), frame.site() ? " (crash site)" : "",
                    frame.file() == null ? "?" : frame.location());
            frame.inlinedInto().forEach(caller -> out.printf("         inlined into %s%n", caller));
        }
        if (sources.note() != null) {
            out.printf("     note: %s%n", sources.note());
        }
    }

    private static Map<String, Object> toJson(Analysis analysis, boolean report) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("file", analysis.file());
        List<Map<String, Object>> crashes = new ArrayList<>();
        for (int i = 0; i < analysis.crashes().size(); i++) {
            Crash crash = analysis.crashes().get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", crash.kind().id());
            entry.put("title", crash.title());
            entry.put("alternativeTitles", crash.alternativeTitles());
            entry.put("corrupted", crash.corrupted());
            entry.put("corruptedReason", crash.corruptedReason());
            entry.put("panicked", crash.panicked());
            entry.put("panicReason", crash.panicReason());
            entry.put("guiltyFrame", crash.guiltyFrame());
            entry.put("fingerprint", crash.fingerprint());
            entry.put("firstLine", crash.firstLine());
            entry.put("lastLine", crash.lastLine());
            entry.put("complete", crash.complete());
            entry.put("kernelRelease", crash.kernelRelease());
            entry.put("taint", crash.taint());
            entry.put("hardware", crash.hardware());
            entry.put("frames", crash.frames().stream().map(StackFrame::toString).toList());
            if (analysis.sources() != null) {
                entry.put("sourceFrames", analysis.sources().get(i).frames());
                entry.put("sourceNote", analysis.sources().get(i).note());
            }
            if (report) {
                entry.put("report", crash.report());
            }
            crashes.add(entry);
        }
        file.put("crashes", crashes);
        return file;
    }
}
