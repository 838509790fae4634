package org.kernelrig.crash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A crash whose lines are still arriving: collects them and says when the crash has ended. */
final class OpenCrash {

    /** Bounds: a board can print without end, and nothing it sends is trusted. */
    static final int MAX_TEXT_LINES = 3000;
    static final int MAX_REPORT_LINES = 1000;
    static final int MAX_FRAMES = 128;
    private static final int MAX_LINE_CHARS = 2000;
    private static final int FINGERPRINT_FRAMES = 5;
    private static final int STRAY_LINES = 3;
    /** The marks of lines that can change a dormant crash. */
    private static final long WAKES_DORMANT = LineMarks.WAKES_ENDED_CRASHES | LineMarks.NMI_BACKTRACE
            | LineMarks.CIRCULAR_LOCKING | LineMarks.LOCK_DEBUGGING_OFF;

    final OopsHeader header;
    final String context;
    final int firstLine;
    int lastLine;
    private final boolean sanitizer;
    private final boolean stall;
    private boolean expectsEndTrace;
    private final boolean panicHeader;

    // sized for a typical report, so that they seldom grow
    private final List<String> text = new ArrayList<>(64);
    /** For each line of {@link #text}, what its title may need to search it for ({@link LineMarks#titleHints}). */
    private int[] textHints = new int[64];
    private final List<String> report = new ArrayList<>(64);
    private final List<StackFrame> frames = new ArrayList<>(32);
    private int textLines;
    private boolean skipText;
    private boolean textCut;
    private boolean cpuTraceback;
    private boolean interrupted;

    private boolean inTrace;
    private boolean sawFrame;
    private int strayLines;
    private int lastStackLine;
    private int reportAtStackLine;
    boolean complete;
    /** Completed by an explicit end marker rather than by the end of a stack dump. */
    private boolean endMarker;
    int completedAt;
    boolean panicked;
    String panicReason;
    private String taint;
    private String release;
    private String hardware;

    private Crash cached;
    /** The title of the text as it was when last titled; still valid while no title text is added. */
    private TitleExtractor.Result titled;

    OpenCrash(OopsHeader header, LogLine line, long marks) {
        this.header = header;
        this.context = line.context();
        this.firstLine = line.number();
        this.lastLine = line.number();
        String t = line.text();
        this.sanitizer = t.contains("KASAN") || t.contains("KMSAN") || t.contains("KCSAN") || t.contains("KFENCE")
                || t.contains("UBSAN:");
        this.panicHeader = t.contains("Kernel panic - not syncing");
        this.stall = t.contains("detected stall") || t.contains("detected expedited stall");
        this.expectsEndTrace = isOopsCounter(t) || header.keyword().equals("WARNING:") && t.contains(" at ")
                || t.startsWith("------------[ cut here");
        addText(t, marks);
        textLines = 1;
        addReportLine(t);
        observe(line, marks, true);
    }

    /** Whether the line was printed by this crash's printer. */
    boolean owns(LogLine line) {
        return line.context().equals(context) || cpuTraceback && line.context().startsWith("C");
    }

    /**
     * Adds a line of the log; returns true when this line completed the crash.
     */
    boolean add(LogLine line, long marks) {
        String t = line.text();
        if (!owns(line)) {
            return false;
        }
        if ((marks & WAKES_DORMANT) == 0 && dormant()) {
            // an ended crash takes only the panic it caused; a line still counts, and may still name the kernel
            if (!line.questionable()) {
                textLines++;
            }
            if (release == null || hardware == null) {
                String releaseBefore = release;
                String hardwareBefore = hardware;
                identity(t);
                if (release != releaseBefore || hardware != hardwareBefore) {
                    cached = null;
                }
            }
            return false;
        }
        if (interrupted) {
            // the report that interrupted this one goes on in the same task: its stack is this one's too
            if (!line.questionable() && !skipText && text.size() < MAX_TEXT_LINES) {
                addText(t, marks);
                cached = null;
                titled = null;
            }
            return false;
        }
        boolean panicLine = (marks & LineMarks.PANIC) != 0;
        if (!line.questionable()) {
            textLines++;
            boolean skipLine = skipText;
            if ((marks & LineMarks.LOCK_DEBUGGING_OFF) != 0) {
                skipLine = true;
            } else if ((marks & LineMarks.NMI_BACKTRACE) != 0) {
                cpuTraceback = true;
            } else if ((marks & (LineMarks.PANIC | LineMarks.CIRCULAR_LOCKING)) != 0
                    && textLines > (text.get(0).contains("BUG: KMSAN:") ? 16 : 22)) {
                // a panic after a long report repeats its stack; a lockdep report induced by an oops is noise
                skipText = true;
                skipLine = true;
            }
            // After its end a crash takes only the panic it caused. A stall prints several stack dumps
            // (one per CPU), so the end of the first one does not end its title's text.
            if (!skipLine && !textCut && text.size() < MAX_TEXT_LINES
                    && (!complete || stall && !endMarker || panicLine)) {
                addText(t, marks);
                cached = null;
                titled = null;
            }
        }
        return observe(line, marks, false);
    }

    /** A line in another context that belongs to this crash because the kernel is panicking. */
    boolean addPanicLine(LogLine line, long marks) {
        if (owns(line)) {
            return add(line, marks);
        }
        return observe(line, marks, false);
    }

    /**
     * Another report starts in this crash's task before this one printed a stack: this crash ends
     * here, but its title still reads that task's lines (the kernel often crashes while reporting).
     * Returns false when the crash already has a stack and simply ends.
     */
    boolean interruptedBy() {
        if (sawFrame || interrupted || !hasCallerId()) {
            return false;
        }
        interrupted = true;
        return true;
    }

    private boolean hasCallerId() {
        return !context.isEmpty() && !LogLine.CONSOLE.equals(context);
    }

    /**
     * Whether the crash has ended and takes no ordinary line any more: only a panic it caused, or
     * the markers that end that panic, can still change it.
     */
    boolean dormant() {
        return complete && !interrupted && (endMarker || !stall);
    }

    /** Lines after this one are another report interleaved: keep them out of the title. */
    void cutText() {
        textCut = true;
    }

    private boolean observe(LogLine line, long marks, boolean first) {
        int before = state();
        boolean completed = observeLine(line, marks, first);
        if (state() != before) {
            cached = null;
        }
        return completed;
    }

    /** Changes whenever what a snapshot shows changes, apart from the title text. */
    private int state() {
        int h = lastLine;
        h = 31 * h + frames.size();
        h = 31 * h + (complete ? 1 : 0) + (panicked ? 2 : 0) + (release != null ? 4 : 0) + (hardware != null ? 8 : 0);
        return 31 * h + report.size();
    }

    private boolean observeLine(LogLine line, long marks, boolean first) {
        String t = line.text();
        boolean wasComplete = complete;
        boolean panicLine = false;
        boolean endedBefore = false;
        if ((marks & LineMarks.PANIC) != 0) {
            panicked = true;
            panicLine = true;
            endMarker = false;
            int at = t.indexOf("not syncing: ");
            if (panicReason == null && at >= 0) {
                panicReason = t.substring(at + 13).strip();
            }
            complete = false;
        }
        boolean extends_ = !complete || panicLine;
        // once complete, only a panic reopens the crash, and a panicked crash expects no end of trace
        if (!first && !complete && !expectsEndTrace && isOopsCounter(t)) {
            expectsEndTrace = true;
        }
        identity(t);
        if (!line.questionable()) {
            StackFrame frame = !complete ? StackFrame.parse(t) : null;
            if (frame != null) {
                if (frames.size() < MAX_FRAMES) {
                    frames.add(frame);
                }
                sawFrame = true;
                stackLine(line.number());
            } else if (!complete) {
                endedBefore = trackTrace(t, line.number());
            }
        }
        boolean end = (marks & LineMarks.END_MARKER) != 0;
        if (end && t.startsWith("---[ end trace")) {
            complete = true;
            endMarker = true;
        } else if (end && t.startsWith("---[ end Kernel panic") || panicked && t.startsWith("Rebooting in ")) {
            complete = true;
            endMarker = true;
            extends_ = true;
        } else if (sanitizer && !first && t.startsWith("=====") && report.size() > 1) {
            complete = true;
            endMarker = true;
        }
        if (!endedBefore && (extends_ || complete && !wasComplete)) {
            if (!first) {
                addReportLine(t);
            }
            lastLine = Math.max(lastLine, line.number());
        }
        if (complete && !wasComplete) {
            completedAt = line.number();
            return true;
        }
        return false;
    }

    /**
     * Ends the crash at the end of its stack dump, for reports that print no end marker: at
     * {@code </TASK>}, or at the third line in a row that is not part of a stack dump (other output
     * interleaves with a dump). Returns true when the dump ended on an earlier line.
     */
    private boolean trackTrace(String t, int number) {
        int at = 0;
        while (at < t.length() && (t.charAt(at) == ' ' || t.charAt(at) == '\t')) {
            at++;
        }
        if (t.startsWith("Call Trace", at) || t.startsWith("Call trace", at) || t.startsWith("Backtrace:", at)
                || t.startsWith("stack backtrace:", at)) {
            inTrace = true;
            sawFrame = false;
            strayLines = 0;
            return false;
        }
        if (!inTrace || !sawFrame || expectsEndTrace || sanitizer || panicked || panicHeader) {
            return false;
        }
        if (t.startsWith("<", at)) {
            int end = t.length();
            while (end > at && Character.isWhitespace(t.charAt(end - 1))) {
                end--;
            }
            if (end - at == 7 && t.startsWith("</TASK>", at)) {
                complete = true;
                return false;
            }
            if (t.charAt(end - 1) == '>') {
                stackLine(number);
                return false;
            }
        }
        if (isRegisterLine(t, at) || t.startsWith("---", at) || t.startsWith("Exception stack", at)
                || t.startsWith("irq event stamp", at) || t.startsWith("hardirqs ", at)
                || t.startsWith("softirqs ", at)) {
            stackLine(number);
            return false;
        }
        if (++strayLines < STRAY_LINES) {
            return false;
        }
        complete = true;
        lastLine = lastStackLine;
        while (report.size() > reportAtStackLine) {
            report.remove(report.size() - 1);
        }
        return true;
    }

    /**
     * Another report starts in this crash's context: a stack dump that was still going ended with it.
     * Returns true when that completed the crash.
     */
    boolean endAtNextReport() {
        if (complete || !inTrace || !sawFrame || expectsEndTrace || sanitizer || panicked || panicHeader) {
            return false;
        }
        complete = true;
        completedAt = lastStackLine;
        lastLine = lastStackLine;
        while (report.size() > reportAtStackLine) {
            report.remove(report.size() - 1);
        }
        cached = null;
        return true;
    }

    private void stackLine(int number) {
        strayLines = 0;
        lastStackLine = number;
        reportAtStackLine = report.size() + 1;
    }

    /** {@code RIP: 0010:...}, {@code RAX: ...}, {@code CR2: ...}, {@code Code: ...}: a register dump inside a stack. */
    private static boolean isRegisterLine(String t, int from) {
        int colon = t.indexOf(':', from) - from;
        if (colon < 2 || colon > 5) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = t.charAt(from + i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || i > 0 && c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOopsCounter(String t) {
        int at = t.indexOf("[#");
        return at >= 0 && at + 2 < t.length() && Character.isDigit(t.charAt(at + 2));
    }

    private void identity(String t) {
        if (release == null && t.startsWith("CPU: ") && t.contains(" PID: ")) {
            int comm = t.indexOf(" Comm: ");
            int not = t.indexOf(" Not tainted ", comm);
            int tainted = t.indexOf(" Tainted: ", comm);
            if (comm > 0 && not > 0) {
                taintAndRelease("Not tainted " + t.substring(not + 13));
            } else if (comm > 0 && tainted > 0) {
                taintAndRelease(t.substring(tainted + 1));
            }
        } else if (release == null && t.startsWith(" ")) {
            // the second line of a hung task report: "      Not tainted 6.1.0-26-amd64 #1 ..."
            int at = 1;
            while (at < t.length() && Character.isWhitespace(t.charAt(at))) {
                at++;
            }
            if (t.startsWith("Not tainted ", at) || t.startsWith("Tainted: ", at)) {
                taintAndRelease(t.strip());
            }
        } else if (hardware == null && t.startsWith("Hardware name: ")) {
            hardware = t.substring(15).strip();
        }
    }

    /** {@code Not tainted 6.1.0 #1 ...} or {@code Tainted: G    B   W   6.1.0 #1 ...}: flags are single letters. */
    private void taintAndRelease(String s) {
        if (s.startsWith("Not tainted ")) {
            taint = "";
            release = firstWord(s.substring(12).strip());
            return;
        }
        StringBuilder flags = new StringBuilder();
        for (String word : s.substring(9).trim().split(" +")) {
            if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
                flags.append(word);
            } else {
                release = word;
                break;
            }
        }
        taint = flags.toString();
    }

    private static String firstWord(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    private void addText(String t, long marks) {
        if (text.size() == textHints.length) {
            textHints = java.util.Arrays.copyOf(textHints, 2 * textHints.length);
        }
        textHints[text.size()] = LineMarks.titleHints(marks);
        text.add(bounded(t));
    }

    private void addReportLine(String t) {
        if (report.size() < MAX_REPORT_LINES) {
            report.add(bounded(t));
        }
    }

    private static String bounded(String t) {
        return t.length() <= MAX_LINE_CHARS ? t : t.substring(0, MAX_LINE_CHARS);
    }

    /** The crash as seen so far. */
    Crash snapshot() {
        if (cached != null) {
            return cached;
        }
        if (titled == null) {
            titled = TitleExtractor.extract(header, text, java.util.Arrays.copyOf(textHints, text.size()));
        }
        TitleExtractor.Result result = titled;
        CrashKind kind = kind(result);
        String guilty = guiltyFrame(result.title());
        String fingerprint = fingerprint(kind, result.title());
        cached = new Crash(kind, result.title(), List.copyOf(result.alternatives()), result.corruptedReason() != null,
                result.corruptedReason(), panicked, panicReason, guilty, List.copyOf(frames), taint, release, hardware,
                firstLine, lastLine, complete, fingerprint, List.copyOf(report));
        return cached;
    }

    private CrashKind kind(TitleExtractor.Result result) {
        CrashKind kind = result.format() != null ? result.format().kind() : header.kind();
        String title = result.title();
        String first = text.get(0);
        for (StackFrame frame : frames) {
            if (frame.function().equals("sysrq_handle_crash")) {
                return CrashKind.SYSRQ_CRASH;
            }
        }
        if (title.contains("sysrq triggered crash")) {
            return CrashKind.SYSRQ_CRASH;
        }
        if (kind == CrashKind.PAGE_FAULT && first.contains("NULL pointer")) {
            return CrashKind.NULL_POINTER_DEREFERENCE;
        }
        if ((kind == CrashKind.WARNING || kind == CrashKind.KERNEL_BUG || kind == CrashKind.OTHER_BUG)
                && (first.contains("lib/list_debug.c") || title.contains("list_add_valid")
                        || title.contains("list_del_entry_valid") || title.contains("corrupted list"))) {
            return CrashKind.LIST_CORRUPTION;
        }
        return kind;
    }

    /** What follows the last {@code " in "} of a title: a name, possibly with a {@code <...>} Rust qualifier. */
    static String titleFrame(String title) {
        for (int at = title.lastIndexOf(" in "); at > 0; at = title.lastIndexOf(" in ", at - 1)) {
            int i = at + 4;
            int start = i;
            if (i < title.length() && title.charAt(i) == '<') {
                int close = title.indexOf('>', i);
                if (close < 0) {
                    continue;
                }
                i = close + 1;
            }
            int name = i;
            while (i < title.length() && (Character.isLetterOrDigit(title.charAt(i)) || title.charAt(i) == '_'
                    || title.charAt(i) == ':')) {
                i++;
            }
            if (i > name) {
                return title.substring(start, i);
            }
        }
        return null;
    }

    private String guiltyFrame(String title) {
        String inTitle = titleFrame(title);
        if (inTitle != null && !inTitle.equals("corrupted")) {
            return inTitle;
        }
        for (StackFrame frame : frames) {
            String name = TitleExtractor.strip(baseName(frame.function()));
            if (!TitleRules.GUILTY_PLUMBING.skips(name)) {
                return name;
            }
        }
        return null;
    }

    /** {@code foo.cold}, {@code foo.isra.0}, {@code foo.constprop.0} are all {@code foo}. */
    static String baseName(String function) {
        int dot = function.indexOf('.');
        return dot > 0 ? function.substring(0, dot) : function;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    });

    private String fingerprint(CrashKind kind, String title) {
        StringBuilder key = new StringBuilder(kind.id()).append('\n').append(title);
        for (int i = 0; i < frames.size() && i < FINGERPRINT_FRAMES; i++) {
            key.append('\n').append(baseName(frames.get(i).function()));
        }
        byte[] digest = SHA256.get().digest(key.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
