package org.kernelrig.report;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code kcidb.json}: runs as KernelCI's KCIDB reads them (I/O schema 5.3,
 * kernelci/kcidb-io). The kernel the boards ran is a checkout and a build,
 * each scenario on a board a test ({@code rig.<scenario>}), each known crash
 * an issue, and each known crash a run showed an incident. Every id is
 * {@code <origin>:<local id>}; what comes from a board is bounded and stripped
 * of NUL, which the schema forbids.
 */
public final class KcidbReport {

    public static final String FILE_NAME = "kcidb.json";
    /** The schema's bound on {@code log_excerpt}, in characters. */
    public static final int EXCERPT_LIMIT = 16384;
    /** Bound on every other text a board may have written (reasons, titles). */
    static final int TEXT_LIMIT = 2000;

    /** The report files a run folder holds, linked from its test. */
    private static final List<String> RUN_FILES = List.of("report.html", "report.json", "summary.txt", "junit.xml",
            "run.log");

    private final KcidbSettings settings;
    private final KernelBuild kernelUnderTest;
    private final List<Issue> issues;
    private final Function<RunReport.CrashFinding, Optional<String>> knownAs;
    private final long issueVersion;
    private final String folder;

    /**
     * An entry of known-crashes.yaml as KCIDB names it.
     *
     * @param name      the entry's name, the issue's local id
     * @param reportUrl its bug report (https://bugs.debian.org/N), or null
     * @param comment   its note, or null
     * @param misc      what identifies it in rig (fingerprint, title, kind), null values left out
     */
    public record Issue(String name, String reportUrl, String comment, Map<String, Object> misc) {
    }

    /**
     * @param kernelUnderTest the kernel given to test, or null: the kernel each board ran then stands alone
     * @param issues          the known crashes
     * @param knownAs         the name of the known crash a crash is, if any
     * @param issueVersion    the issues' version: when the known crashes were read, so that a later
     *                        submission of an edited file wins
     */
    public KcidbReport(KcidbSettings settings, KernelBuild kernelUnderTest, List<Issue> issues,
            Function<RunReport.CrashFinding, Optional<String>> knownAs, Instant issueVersion) {
        this(settings, kernelUnderTest, issues, knownAs, issueVersion.getEpochSecond(), "");
    }

    private KcidbReport(KcidbSettings settings, KernelBuild kernelUnderTest, List<Issue> issues,
            Function<RunReport.CrashFinding, Optional<String>> knownAs, long issueVersion, String folder) {
        this.settings = settings;
        this.kernelUnderTest = kernelUnderTest;
        this.issues = List.copyOf(issues);
        this.knownAs = knownAs;
        this.issueVersion = issueVersion;
        this.folder = folder;
    }

    /** Runs without known crashes: a single run. */
    public static KcidbReport withoutIssues(KcidbSettings settings, KernelBuild kernelUnderTest) {
        return new KcidbReport(settings, kernelUnderTest, List.of(), crash -> Optional.empty(), Instant.EPOCH);
    }

    /** The same with {@code issues}, and {@code knownAs} naming the issue a crash is (the incidents). */
    public KcidbReport withIssues(List<Issue> issues, Function<RunReport.CrashFinding, Optional<String>> knownAs,
            Instant version) {
        return new KcidbReport(settings, kernelUnderTest, issues, knownAs, version.getEpochSecond(), folder);
    }

    /** The same for runs whose folders are in {@code name/} of the reports folder: a suite's. */
    public KcidbReport inFolder(String name) {
        return new KcidbReport(settings, kernelUnderTest, issues, knownAs, issueVersion, name);
    }

    /**
     * The document for {@code runs}.
     *
     * @param runsFolder where the runs' folders are ({@code <run-id>/} below it), linked with file: URLs
     *                   unless the settings say where the reports folder is published
     */
    public String render(List<RunReport> runs, Path runsFolder) {
        URI base = settings.reportsUrl() == null ? runsFolder.toAbsolutePath().toUri()
                : settings.reportsUrl().resolve(folder.isEmpty() ? "" : encodeSegment(folder) + "/");
        ObjectMapper mapper = JsonReport.mapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode version = root.putObject("version");
        version.put("major", 5);
        version.put("minor", 3);
        ArrayNode checkouts = root.putArray("checkouts");
        ArrayNode builds = root.putArray("builds");
        ArrayNode tests = root.putArray("tests");
        ArrayNode issuesNode = root.putArray("issues");
        ArrayNode incidents = root.putArray("incidents");

        Map<String, KernelBuild> kernels = new LinkedHashMap<>();
        for (RunReport run : runs) {
            KernelBuild kernel = kernelOf(run);
            kernels.merge(kernel.localId(), kernel, KernelBuild::withMachineOf);
            String testId = id(run.phases().isEmpty() ? run.runId() + "-" + run.started().getEpochSecond() : run.runId());
            tests.add(test(mapper, run, testId, id(kernel.localId()), base));
            Set<String> seen = new LinkedHashSet<>();
            for (RunReport.CrashFinding crash : run.crashes()) {
                knownAs.apply(crash).filter(seen::add).ifPresent(issue -> {
                    ObjectNode incident = incidents.addObject();
                    incident.put("id", id(testIdLocal(testId) + ":" + issue));
                    incident.put("origin", settings.origin());
                    incident.put("issue_id", id(issue));
                    incident.put("issue_version", issueVersion);
                    incident.put("build_id", id(kernel.localId()));
                    incident.put("test_id", testId);
                    incident.put("present", true);
                    incident.put("comment", text(crash.headline() != null ? crash.headline() : crash.title(), TEXT_LIMIT));
                });
            }
        }
        for (KernelBuild kernel : kernels.values()) {
            ObjectNode checkout = checkouts.addObject();
            checkout.put("id", id(kernel.localId()));
            checkout.put("origin", settings.origin());
            checkout.put("comment", kernel.describe());
            checkout.set("misc", kernel.misc(mapper));
            ObjectNode build = builds.addObject();
            build.put("id", id(kernel.localId()));
            build.put("checkout_id", id(kernel.localId()));
            build.put("origin", settings.origin());
            build.put("comment", kernel.describe());
            if (kernel.architecture() != null) {
                build.put("architecture", kernel.architecture());
            }
            build.set("misc", kernel.misc(mapper));
        }
        for (Issue issue : issues) {
            ObjectNode node = issuesNode.addObject();
            node.put("id", id(issue.name()));
            node.put("version", issueVersion);
            node.put("origin", settings.origin());
            if (issue.reportUrl() != null) {
                node.put("report_url", issue.reportUrl());
            }
            if (issue.comment() != null) {
                node.put("comment", text(issue.comment(), TEXT_LIMIT));
            }
            ObjectNode misc = node.putObject("misc");
            misc.put("known_crash", issue.name());
            issue.misc().forEach((key, value) -> {
                if (value != null) {
                    misc.set(key, mapper.valueToTree(value));
                }
            });
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a KCIDB document is always serialisable", e);
        }
    }

    private ObjectNode test(ObjectMapper mapper, RunReport run, String testId, String buildId, URI base) {
        ObjectNode test = mapper.createObjectNode();
        test.put("id", testId);
        test.put("build_id", buildId);
        test.put("origin", settings.origin());
        test.put("path", "rig." + pathSegment(run.scenario().name()));
        test.put("status", status(run));
        String reason = run.reason() == null ? "" : run.reason();
        test.put("comment", text(reason.lines().findFirst().orElse(""), TEXT_LIMIT));
        test.put("start_time", run.started().toString());
        test.put("duration", run.took().toMillis() / 1000.0);
        ObjectNode environment = test.putObject("environment");
        RunReport.BoardInfo board = run.board();
        environment.put("comment", "board " + board.name() + " (" + board.kind() + ")"
                + (run.kernel() != null && run.kernel().hardware() != null ? ": " + text(run.kernel().hardware(), 200) : ""));
        ObjectNode boardMisc = environment.putObject("misc");
        boardMisc.put("board", board.name());
        boardMisc.put("kind", board.kind());
        boardMisc.put("power", board.power());
        if (run.kernel() != null && run.kernel().hardware() != null) {
            boardMisc.put("hardware", text(run.kernel().hardware(), 200));
        }
        String excerpt = LogExcerpt.of(run.crashes(), EXCERPT_LIMIT);
        if (!excerpt.isEmpty()) {
            test.put("log_excerpt", excerpt);
        }
        if (!run.phases().isEmpty()) {
            URI folder = base.resolve(encodeSegment(run.runId()) + "/");
            test.put("log_url", link(folder, "timeline.log"));
            ArrayNode files = test.putArray("output_files");
            List<String> names = new ArrayList<>(RUN_FILES);
            if (run.netconsole().enabled()) {
                names.add("netconsole.log");
            }
            if (run.serial().enabled()) {
                names.add("serial.log");
            }
            for (String name : names) {
                files.addObject().put("name", name).put("url", link(folder, name));
            }
        }
        ObjectNode misc = test.putObject("misc");
        misc.put("run_id", run.runId());
        misc.put("rig_version", run.rigVersion());
        misc.put("outcome", run.outcome().name());
        misc.put("reason", text(reason, TEXT_LIMIT));
        misc.put("scenario_file", run.scenario().file());
        misc.put("trigger", run.scenario().trigger());
        misc.put("expectation", run.scenario().expectation());
        if (run.scenario().debianBug() > 0) {
            misc.put("debian_bug", run.scenario().debianBug());
        }
        if (run.recovery() != null) {
            misc.put("recovery", run.recovery().method());
        }
        ArrayNode crashes = misc.putArray("crashes");
        for (RunReport.CrashFinding crash : run.crashes()) {
            ObjectNode node = crashes.addObject();
            node.put("kind", crash.kind());
            node.put("title", text(crash.title(), TEXT_LIMIT));
            node.put("fingerprint", crash.fingerprint());
            ArrayNode witnesses = node.putArray("witnesses");
            crash.witnesses().stream().sorted().forEach(witnesses::add);
        }
        return test;
    }

    /**
     * rig's outcomes in KCIDB's words: a lab error that never reached the kernel is a MISS (the
     * harness failed before the test ran); one after it is an ERROR (the test did not complete).
     */
    static String status(RunReport run) {
        return switch (run.outcome()) {
            case PASS -> "PASS";
            case FAIL -> "FAIL";
            case ERROR -> run.kernel() == null || run.kernel().release() == null ? "MISS" : "ERROR";
        };
    }

    private KernelBuild kernelOf(RunReport run) {
        RunReport.KernelInfo info = run.kernel();
        String machine = info == null ? null : info.machine();
        if (kernelUnderTest != null) {
            return kernelUnderTest.withMachine(machine);
        }
        if (info == null || info.release() == null) {
            return KernelBuild.UNKNOWN;
        }
        return KernelBuild.running(text(info.release(), 200), text(info.version(), 500), machine);
    }

    /** A file of a run's folder; a local one as file:///..., the form every browser opens. */
    private static String link(URI folder, String name) {
        URI file = folder.resolve(name);
        return "file".equals(file.getScheme()) ? Path.of(file).toUri().toString() : file.toString();
    }

    private String id(String local) {
        return settings.origin() + ":" + local;
    }

    private static String testIdLocal(String testId) {
        return testId.substring(testId.indexOf(':') + 1);
    }

    /** One level of KCIDB's test tree: letters, digits, '_' and '-'. */
    static String pathSegment(String name) {
        String segment = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return segment.isEmpty() ? "_" : segment;
    }

    private static String encodeSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Text from a board, safe for the schema: no NUL, at most {@code limit} characters, no split surrogate pair. */
    static String text(String value, int limit) {
        if (value == null) {
            return "";
        }
        String clean = value.replace('\0', '\uFFFD');
        if (clean.length() <= limit) {
            return clean;
        }
        int end = limit;
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The architecture as KCIDB spells it: lower case letters, digits and '_'. */
    static String architecture(String machine) {
        if (machine == null) {
            return null;
        }
        String arch = machine.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return arch.isEmpty() ? null : text(arch, 64);
    }
}
