package org.kernelrig.crash;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Throughput of the crash analyzer: builds a console log of the given size (200 MB by default) from
 * the real logs of the syzkaller corpus, concatenated over and over, then reads and analyses it as
 * {@code rig analyze} does, and prints MB/s. Not a test: run it with {@code bench/crash-analyzer.sh}.
 *
 * <p>Arguments: [size in MB] [corpus folder] [work folder]; the system property {@code runs} sets the
 * number of runs (5).
 */
public final class CrashAnalyzerBenchmark {

    private CrashAnalyzerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 200;
        Path corpus = args.length > 1 ? Path.of(args[1]) : SyzkallerConformanceTest.corpus();
        Path work = args.length > 2 ? Path.of(args[2]) : Path.of("target", "bench");
        Files.createDirectories(work);
        Path log = work.resolve("console-" + megabytes + "M.log");
        long bytes = build(corpus, log, megabytes * 1_000_000);
        System.out.printf("log: %s, %.1f MB of real console logs from %s%n", log, bytes / 1e6, corpus);
        // run 1 is left out of the figures: at least two runs
        int runs = Math.max(2, Integer.getInteger("runs", 5));
        double[] wall = new double[runs];
        double[] cpus = new double[runs];
        for (int run = 1; run <= runs; run++) {
            long[] crashes = new long[1];
            Map<String, Integer> kinds = new TreeMap<>();
            CrashAnalyzer analyzer = new CrashAnalyzer(crash -> {
                crashes[0]++;
                kinds.merge(crash.kind().id(), 1, Integer::sum);
            });
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            int lines;
            try (InputStream in = Files.newInputStream(log)) {
                lines = LogReader.read(in, analyzer);
            }
            analyzer.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("run %d: %d lines, %d crashes in %.2f s: %.0f MB/s (thread CPU time %.2f s: %.0f MB/s)%n",
                    run, lines, crashes[0], seconds, bytes / 1e6 / seconds, cpu, bytes / 1e6 / cpu);
            wall[run - 1] = bytes / 1e6 / seconds;
            cpus[run - 1] = bytes / 1e6 / cpu;
            if (run == runs) {
                System.out.println("crashes by kind: " + kinds);
            }
        }
        // the first run includes the JIT compiling the analyzer; other jobs on the machine slow some runs
        java.util.Arrays.sort(wall, 1, runs);
        java.util.Arrays.sort(cpus, 1, runs);
        System.out.printf("runs 2-%d: median %.0f MB/s, best %.0f MB/s (by CPU time: median %.0f, best %.0f MB/s)%n",
                runs, (wall[runs / 2] + wall[(runs + 1) / 2]) / 2, wall[runs - 1],
                (cpus[runs / 2] + cpus[(runs + 1) / 2]) / 2, cpus[runs - 1]);
        floor(log, bytes);
    }

    /**
     * What reading the log costs before any line is analysed: every line found, its printk prefix
     * skipped, its message scanned for keywords, then decoded. Each stage includes the ones before;
     * the best of three passes. The analyzer cannot go faster than the stages it needs.
     */
    private static void floor(Path log, long bytes) throws IOException {
        System.out.println("the same log read without analysis, best of 3 (each stage includes the ones above it):");
        String[] stages = {"lines found", "printk prefixes skipped", "messages scanned for keywords",
                "messages decoded into Strings"};
        for (int stage = 0; stage < stages.length; stage++) {
            double best = Double.MAX_VALUE;
            for (int pass = 0; pass < 3; pass++) {
                long start = System.nanoTime();
                long seen = readOnly(log, stage);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
                if (seen < 0) {
                    throw new AssertionError("unreachable: keeps the work from being optimised away");
                }
            }
            System.out.printf("  %-32s %.2f s: %4.0f MB/s%n", stages[stage], best, bytes / 1e6 / best);
        }
    }

    private static long readOnly(Path log, int stage) throws IOException {
        long[] seen = new long[1];
        try (InputStream in = Files.newInputStream(log)) {
            LogReader.readLines(in, (line, from, to) -> {
                int message = stage >= 1 ? ConsoleLineParser.messageStart(line, from, to) : from;
                long marks = stage >= 2 ? LineMarks.scan(line, message, to) : 0;
                int chars = stage >= 3 ? new String(line, message, to - message, StandardCharsets.UTF_8).length() : 0;
                seen[0] += message - from + (marks & 1) + chars + 1;
            });
        }
        return seen[0];
    }

    /** Concatenates the logs of the corpus (without their headers) until the file has the size asked for. */
    private static long build(Path corpus, Path log, long size) throws IOException {
        if (Files.exists(log) && Files.size(log) >= size) {
            return Files.size(log);
        }
        List<byte[]> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpus)) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("\\d+")).sorted().toList()) {
                LogCase c = LogCase.read(file);
                logs.add((String.join("\n", c.log()) + "\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(log), 1 << 20)) {
            while (written < size) {
                for (byte[] one : logs) {
                    out.write(one);
                    written += one.length;
                    if (written >= size) {
                        break;
                    }
                }
            }
        }
        return written;
    }
}
