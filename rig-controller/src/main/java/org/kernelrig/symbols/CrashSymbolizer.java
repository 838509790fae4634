package org.kernelrig.symbols;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kernelrig.crash.Crash;
import org.kernelrig.crash.StackFrame;
import org.kernelrig.report.RunReport;
import org.kernelrig.report.RunReport.CrashFinding;
import org.kernelrig.report.RunReport.SourceFrame;
import org.kernelrig.symbols.DebugInfo.Lookup;
import org.kernelrig.symbols.Symbolizer.CodeAddress;

/**
 * Gives the frames of crashes their source lines, the way the kernel's
 * {@code scripts/faddr2line} does: a frame's function is looked up in the
 * object's symbol table (vmlinux, or the module's {@code .ko}), its offset
 * added, and the address handed to addr2line, all of a report's addresses
 * at once. A frame of the call trace is a return address, so it is looked
 * up one byte earlier, at the call; the crash site ({@code RIP:}) is the
 * faulting instruction itself. Whatever is missing (debug info, a module,
 * addr2line) leaves frames without a line and says why, once per crash.
 */
public final class CrashSymbolizer {

    /** The crash site: x86's {@code RIP: 0010:}, arm64's and riscv's {@code pc :}/{@code epc :}, arm's {@code PC is at}. */
    private static final Pattern SITE = Pattern.compile("^\\s*(?:RIP: [0-9a-f]{4}:|pc : |epc : |PC is at )(.*)$");
    /** The most distinct reasons a note lists. */
    private static final int MAX_REASONS = 3;

    /**
     * The source lines of one crash.
     *
     * @param frames the crash site (when the crash shows one) then the frames of its trace, each with its line
     *               or without one
     * @param note   why some frames have no line, or null when all have one
     */
    public record CrashSources(List<SourceFrame> frames, String note) {
    }

    private final DebugInfo debugInfo;
    private final Optional<Symbolizer> symbolizer;
    private final Map<Path, Object> objects = new HashMap<>();

    public CrashSymbolizer(DebugInfo debugInfo) {
        this(debugInfo, Symbolizer.find());
    }

    CrashSymbolizer(DebugInfo debugInfo, Optional<Symbolizer> symbolizer) {
        this.debugInfo = debugInfo;
        this.symbolizer = symbolizer;
    }

    /**
     * A run's report with source lines for its crashes, which are those the report's findings were made
     * from, in the same order.
     *
     * @param release the release the board ran, for crashes that do not print it; may be null
     */
    public static RunReport addTo(RunReport report, List<Crash> crashes, DebugInfo debugInfo, String release) {
        if (crashes.isEmpty() || crashes.size() != report.crashes().size()) {
            return report;
        }
        List<CrashSources> sources = new CrashSymbolizer(debugInfo).symbolize(crashes, release);
        List<CrashFinding> findings = new ArrayList<>();
        for (int i = 0; i < crashes.size(); i++) {
            findings.add(report.crashes().get(i).withSources(sources.get(i).frames(), sources.get(i).note()));
        }
        return new RunReport(report.runId(), report.rigVersion(), report.scenario(), report.board(), report.kernel(),
                report.started(), report.ended(), report.phases(), report.outcome(), report.reason(),
                report.interruptedPhase(), findings, report.netconsole(), report.serial(), report.pstore(),
                report.recovery(), report.warnings());
    }

    /** The source lines of each crash, in order; one addr2line process per object file for all of them. */
    public List<CrashSources> symbolize(List<Crash> crashes, String release) {
        List<List<Request>> requests = new ArrayList<>();
        List<Set<String>> problems = new ArrayList<>();
        Set<CodeAddress> addresses = new LinkedHashSet<>();
        for (Crash crash : crashes) {
            String kernel = crash.kernelRelease() != null ? crash.kernelRelease() : release;
            Set<String> reasons = new LinkedHashSet<>();
            List<Request> list = new ArrayList<>();
            for (Request request : frames(crash)) {
                list.add(request);
                if (symbolizer.isEmpty()) {
                    reasons.add(Symbolizer.TOOL + " is not installed (Debian package binutils)");
                } else if (debugInfo.isEmpty()) {
                    reasons.add("no debug info for this kernel (a vmlinux with DWARF, or Debian's linux-image-"
                            + (kernel == null ? "RELEASE" : kernel) + "-dbg)");
                } else {
                    request.address = address(request, kernel, reasons);
                    if (request.address != null) {
                        addresses.add(request.address);
                    }
                }
            }
            requests.add(list);
            problems.add(reasons);
        }
        Map<CodeAddress, List<SourceLocation>> found = new HashMap<>();
        String failure = null;
        if (!addresses.isEmpty()) {
            try {
                found = symbolizer.orElseThrow().resolve(addresses);
            } catch (IOException e) {
                failure = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = Symbolizer.TOOL + " was interrupted";
            }
        }
        List<CrashSources> result = new ArrayList<>();
        for (int i = 0; i < crashes.size(); i++) {
            List<SourceFrame> frames = new ArrayList<>();
            int unresolved = 0;
            for (Request request : requests.get(i)) {
                List<SourceLocation> chain = request.address == null ? List.of()
                        : found.getOrDefault(request.address, List.of());
                if (chain.isEmpty()) {
                    unresolved++;
                    if (request.address != null) {
                        problems.get(i).add(failure != null ? failure
                                : Symbolizer.TOOL + " found no line for " + request.frame + " in "
                                        + request.address.object().getFileName());
                    }
                }
                frames.add(sourceFrame(request, chain));
            }
            result.add(new CrashSources(frames, unresolved == 0 ? null : note(unresolved, frames.size(), problems.get(i))));
        }
        return result;
    }

    /** The crash site, then the frames of the trace. */
    private static List<Request> frames(Crash crash) {
        List<Request> requests = new ArrayList<>();
        for (String line : crash.report()) {
            Matcher site = SITE.matcher(line);
            if (site.matches()) {
                StackFrame frame = StackFrame.parse(site.group(1));
                if (frame != null) {
                    requests.add(new Request(frame, true));
                }
                break;
            }
        }
        for (StackFrame frame : crash.frames()) {
            requests.add(new Request(frame, false));
        }
        return requests;
    }

    /** The address of a frame in its object file, or null with the reason added. */
    private CodeAddress address(Request request, String release, Set<String> reasons) {
        StackFrame frame = request.frame;
        Lookup object = frame.module().isEmpty() ? debugInfo.vmlinux(release) : debugInfo.module(frame.module(), release);
        if (object.file() == null) {
            reasons.add(object.problem());
            return null;
        }
        Object symbols = objects.computeIfAbsent(object.file(), file -> {
            try {
                ElfSymbols read = ElfSymbols.read(file);
                return read.hasDebugInfo() ? read : file + " has no line information (built without -g, or stripped)";
            } catch (java.nio.file.NoSuchFileException e) {
                return "no " + file;
            } catch (IOException | RuntimeException e) {
                return "cannot read " + file + ": " + e.getMessage();
            }
        });
        if (symbols instanceof String problem) {
            reasons.add(problem);
            return null;
        }
        ElfSymbols elf = (ElfSymbols) symbols;
        long offset;
        long size;
        try {
            offset = Long.parseUnsignedLong(frame.offset().substring(2), 16);
            size = Long.parseUnsignedLong(frame.size().substring(2), 16);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            reasons.add("frame " + frame + " has no readable offset");
            return null;
        }
        List<ElfSymbols.Symbol> named = elf.named(frame.function());
        if (named.isEmpty()) {
            reasons.add(frame.function() + " is not in " + object.file().getFileName());
            return null;
        }
        // kallsyms prints the distance to the next symbol, padding included; a size outside that range
        // means the debug info is of another build than the kernel that crashed
        ElfSymbols.Symbol symbol = named.stream()
                .filter(s -> size == s.size() || size >= s.size() && size <= s.span())
                .findFirst().orElse(null);
        if (symbol == null || offset >= size) {
            reasons.add(frame.function() + " has another size in " + object.file().getFileName()
                    + ": the debug info is not of the kernel that crashed");
            return null;
        }
        long at = symbol.value() + offset - (request.site || offset == 0 ? 0 : 1);
        return new CodeAddress(object.file(), elf.relocatable() ? symbol.section() : null, at);
    }

    private static SourceFrame sourceFrame(Request request, List<SourceLocation> chain) {
        if (chain.isEmpty()) {
            return new SourceFrame(request.frame.toString(), request.site, null, null, 0, List.of());
        }
        SourceLocation inner = chain.get(0);
        List<String> inlinedInto = chain.subList(1, chain.size()).stream()
                .map(l -> (l.function() == null ? "??" : l.function()) + " at " + l).toList();
        return new SourceFrame(request.frame.toString(), request.site, inner.function(), inner.file(), inner.line(),
                inlinedInto);
    }

    private static String note(int unresolved, int total, Set<String> reasons) {
        List<String> listed = reasons.stream().limit(MAX_REASONS).toList();
        return (unresolved == total ? "frames not symbolized: " : unresolved + " of " + total + " frames not symbolized: ")
                + String.join("; ", listed) + (reasons.size() > listed.size() ? "; ..." : "");
    }

    /** A frame to look up. */
    private static final class Request {
        final StackFrame frame;
        final boolean site;
        CodeAddress address;

        Request(StackFrame frame, boolean site) {
            this.frame = frame;
            this.site = site;
        }
    }
}
