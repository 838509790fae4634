package org.kernelrig.crash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds kernel crashes in a console log, fed line by line as the lines arrive.
 *
 * <p>Each call to {@link #accept(String)} says which crashes that line completed: the line was
 * {@code ---[ end trace ...]---}, {@code ---[ end Kernel panic ...]---}, the closing separator of a
 * sanitizer report, or the end of the stack dump of a report that prints no end marker. A run can
 * stop waiting for output then. A crash that completed can still take a later
 * {@code Kernel panic - not syncing} that it caused (an oops with {@code panic_on_oops}); it is then
 * reported complete a second time, panicked, at {@code ---[ end Kernel panic}.
 *
 * <p>Lines are accepted in any of the formats a console produces: plain, with {@code [ time]} and
 * caller-id prefixes, extended netconsole, serial with {@code \r} and ANSI escapes, syslog. With
 * caller ids ({@code [  T123]}) the reports of different tasks are told apart even when their lines
 * are interleaved.
 *
 * <p>Not thread-safe: one analyzer reads one log.
 */
public final class CrashAnalyzer {

    /** Panics that report the crash just before them rather than a crash of their own. */
    private static final List<String> FOLLOW_UP_PANICS = List.of("Fatal exception", "panic_on_warn set",
            "hung_task: blocked tasks", "softlockup: hung tasks", "Hard LOCKUP", "panic_on_oops",
            "Attempted to kill", "Fatal hardware error", "panic_on_", "KASAN", "KFENCE", "UBSAN", "kmsan", "KMSAN",
            "Aiee, killing interrupt handler", "stack-protector", "corrupted stack end");
    private static final int NEARBY_LINES = 100;
    /** The console cut the line before short and prints it again. */
    static final String REPLAYED = "** replaying previous printk message **";
    private static final int MAX_OPEN = 8;
    private static final int IDLE_LINES = 2000;

    private final Consumer<Crash> closed;
    private final List<Crash> found = new ArrayList<>();
    private final List<OpenCrash> open = new ArrayList<>();
    private OpenCrash panicking;
    /** Bumped whenever a crash opens or closes, or may start to own other lines. */
    private int openChanged;
    /** The open crashes that own the lines of {@link #ownersContext}, as of {@link #ownersChanged}. */
    private OpenCrash[] owners = new OpenCrash[MAX_OPEN];
    private int ownerCount;
    private String ownersContext;
    private int ownersChanged = -1;
    private int lineNumber;
    /** The line up to which no open crash can have been idle long enough to close. */
    private int nextIdleCheck;
    private byte[] buffer = new byte[1024];
    /** The context of the last line parsed from bytes, reused while the caller stays the same. */
    private String lastContext = LogLine.CONSOLE;

    /** An analyzer that keeps every crash for {@link #crashes()} and {@link #finish()}. */
    public CrashAnalyzer() {
        this.closed = null;
    }

    /**
     * An analyzer that hands each crash to {@code closed} once no more lines can belong to it, and
     * keeps none (for logs of any length).
     */
    public CrashAnalyzer(Consumer<Crash> closed) {
        this.closed = closed;
    }

    /** Analyzes a whole log. */
    public static List<Crash> analyze(List<String> lines) {
        CrashAnalyzer analyzer = new CrashAnalyzer();
        for (String line : lines) {
            analyzer.accept(line);
        }
        return analyzer.finish();
    }

    /** Splits a text at line ends ({@code \n}, {@code \r\n}) and analyzes it. */
    public static List<Crash> analyze(String log) {
        return analyze(log.lines().toList());
    }

    /** Number of lines accepted so far. */
    public int lineCount() {
        return lineNumber;
    }

    /**
     * Reads the next line of the log (without its line end; a trailing {@code \r} is ignored).
     *
     * @return the crashes this line completed, usually none
     */
    public List<Crash> accept(String raw) {
        lineNumber++;
        // the printk prefix holds no keyword: skip it
        int from = ConsoleLineParser.messageStart(raw);
        long marks = LineMarks.scan(raw, from, buffer(raw.length()));
        return ignorable(marks) ? List.of() : analyze(raw, from, marks);
    }

    /**
     * Reads the next line of the log as the UTF-8 bytes {@code from} (inclusive) to {@code to}
     * (exclusive) of a buffer, which it does not keep. Most lines of a log are dropped here without
     * being decoded.
     *
     * @return the crashes this line completed, usually none
     */
    List<Crash> accept(byte[] bytes, int from, int to) {
        lineNumber++;
        // the printk prefix holds no keyword and no control character
        int message = ConsoleLineParser.messageStart(bytes, from, to);
        long marks = LineMarks.scan(bytes, message, to);
        if (ignorable(marks)) {
            return List.of();
        }
        if (message > from && (marks & LineMarks.CONTROL) == 0) {
            // an ASCII line with a printk prefix, as nearly all are: only the message is decoded
            LogLine line = ConsoleLineParser.parsePrefixed(lineNumber, bytes, from, message, to, lastContext);
            lastContext = line.context();
            if ((marks & LineMarks.HEADERS) != 0 && line.text().length() != to - message) {
                // an unreliable frame's mark was taken off: the keywords are those of what is left
                marks = LineMarks.scan(line.text(), 0, buffer(line.text().length()));
            }
            return analyze(line, marks);
        }
        String raw = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        buffer(raw.length());
        return analyze(raw, message - from, marks);
    }

    /** The scan buffer, large enough for a text of that length. */
    private byte[] buffer(int length) {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, 2 * buffer.length)];
        }
        return buffer;
    }

    /**
     * One pass over the raw line found the crash keywords and any control characters: a line with
     * none, while no crash is open or only ended crashes are, can change nothing. Most lines of a log
     * end here.
     */
    private boolean ignorable(long marks) {
        return (marks & LineMarks.HEADERS) == 0 && (marks & LineMarks.CONTROL) == 0
                && (open.isEmpty() && panicking == null
                        || (marks & LineMarks.WAKES_ENDED_CRASHES) == 0 && allDormant());
    }

    /** Analyzes a line that may matter, whose message starts at {@code from}, with the marks found in it. */
    private List<Crash> analyze(String raw, int from, long marks) {
        boolean controls = (marks & LineMarks.CONTROL) != 0;
        LogLine line = ConsoleLineParser.parse(lineNumber, raw, controls);
        if (line == null) {
            return List.of();
        }
        if (((marks & LineMarks.HEADERS) != 0 || controls) && raw.length() - line.text().length() != from) {
            // another prefix was taken off the line (syslog, netconsole) and may have held a keyword,
            // or control characters were: look again at the message alone
            marks = LineMarks.scan(line.text(), 0, buffer) | marks & LineMarks.CONTROL;
        }
        return analyze(line, marks);
    }

    /** Analyzes a parsed line with the marks of its message ({@link LineMarks#CONTROL}: the raw line had some). */
    private List<Crash> analyze(LogLine line, long marks) {
        String text = line.text();
        // without control characters the message is a part of the line scanned: the scan saw the text if it is there
        if (((marks & LineMarks.REPLAYED) != 0 || (marks & LineMarks.CONTROL) != 0) && text.contains(REPLAYED)) {
            dropReplayed();
            return List.of();
        }
        OopsHeader header = (marks & LineMarks.HEADERS) != 0 ? header(marks & LineMarks.HEADERS, text) : null;
        List<Crash> completed = null;
        if (header != null) {
            OpenCrash into = (marks & LineMarks.STARTS_INSIDE_REPORT) != 0 ? joinTarget(line, text) : null;
            if (into == null) {
                List<Crash> ended = closeBefore(line);
                OpenCrash crash = new OpenCrash(header, line, marks);
                open.add(crash);
                openChanged++;
                if (crash.panicked) {
                    panicking = crash;
                }
                return ended;
            }
            if ((marks & LineMarks.PANIC) != 0) {
                panicking = into;
                return completedList(into.addPanicLine(line, marks), into);
            }
            return completedList(into.add(line, marks), into);
        }
        if (panicking != null && isPanicTail(text) && !panicking.owns(line)) {
            return completedList(panicking.addPanicLine(line, marks), panicking);
        }
        if (open.isEmpty()) {
            return List.of();
        }
        if ((marks & LineMarks.INFO_WITH_STACK) != 0 && !line.hasCallerId()) {
            for (int i = 0; i < open.size(); i++) {
                open.get(i).cutText();
            }
        }
        OpenCrash[] owners = owners(line);
        for (int i = 0; i < ownerCount; i++) {
            OpenCrash crash = owners[i];
            if (crash.add(line, marks)) {
                nextIdleCheck = 0;
                if (completed == null) {
                    completed = new ArrayList<>(1);
                }
                completed.add(crash.snapshot());
            }
        }
        if ((marks & LineMarks.NMI_BACKTRACE) != 0) {
            // a crash may have started to own the lines of every CPU
            openChanged++;
        }
        closeIdle();
        return completed == null ? List.of() : completed;
    }

    /**
     * The open crashes that own the line, in order. A report's lines come in runs from one caller,
     * which share their context's String: the owners of the last context are kept while no crash
     * opens or closes, so that most lines meet only their own crash.
     */
    private OpenCrash[] owners(LogLine line) {
        if (line.context() != ownersContext || ownersChanged != openChanged) {
            ownersContext = line.context();
            ownersChanged = openChanged;
            if (owners.length < open.size()) {
                owners = new OpenCrash[open.size()];
            }
            ownerCount = 0;
            for (int i = 0; i < open.size(); i++) {
                if (open.get(i).owns(line)) {
                    owners[ownerCount++] = open.get(i);
                }
            }
        }
        return owners;
    }

    /** Ends the log: every open crash is closed. Returns all crashes found, in order (none when they went to a consumer). */
    public List<Crash> finish() {
        for (OpenCrash crash : open) {
            close(crash);
        }
        open.clear();
        openChanged++;
        panicking = null;
        return crashes();
    }

    /** The crashes found so far, in the order they started, including the ones still open. */
    public List<Crash> crashes() {
        List<Crash> all = new ArrayList<>(found);
        for (OpenCrash crash : open) {
            all.add(crash.snapshot());
        }
        all.sort(Comparator.comparingInt(Crash::firstLine));
        return all;
    }

    private List<Crash> completedList(boolean completed, OpenCrash crash) {
        if (!completed) {
            return List.of();
        }
        nextIdleCheck = 0;
        return List.of(crash.snapshot());
    }

    private static OopsHeader header(long keywords, String text) {
        List<OopsHeader> headers = TitleRules.HEADERS;
        for (int k = 0; k < headers.size(); k++) {
            if ((keywords & 1L << k) != 0 && !headers.get(k).suppressed(text)) {
                return headers.get(k);
            }
        }
        return null;
    }

    private boolean allDormant() {
        for (int i = 0; i < open.size(); i++) {
            if (!open.get(i).dormant()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The console cut the previous line short and prints it again: a crash that line started is
     * started again by the replayed line.
     */
    private void dropReplayed() {
        if (!open.isEmpty()) {
            OpenCrash last = open.get(open.size() - 1);
            if (last.firstLine == lineNumber - 1) {
                open.remove(open.size() - 1);
                openChanged++;
                if (panicking == last) {
                    panicking = null;
                }
            }
        }
    }

    /** The open crash a panic, an {@code invalid opcode} or an {@code Oops} line belongs to, or null. */
    private OpenCrash joinTarget(LogLine line, String text) {
        OpenCrash target = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).context.equals(line.context())) {
                target = open.get(i);
                break;
            }
        }
        if (target == null && !open.isEmpty()) {
            target = open.get(open.size() - 1);
        }
        if (target == null) {
            return null;
        }
        if (!target.complete) {
            return target;
        }
        boolean nearby = line.number() - target.completedAt <= NEARBY_LINES;
        if (text.contains("Kernel panic - not syncing")) {
            int at = text.indexOf("not syncing: ");
            String reason = at < 0 ? "" : text.substring(at + 13);
            if (nearby || containsAny(reason, FOLLOW_UP_PANICS)) {
                return target;
            }
        }
        return null;
    }

    private static boolean isPanicTail(String text) {
        return !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == 'K' || text.charAt(0) == 'R'
                || text.charAt(0) == 'S') && isPanicTailLine(text);
    }

    private static boolean isPanicTailLine(String text) {
        return text.startsWith("---[ end Kernel panic") || text.startsWith("Kernel Offset:")
                || text.startsWith("Rebooting in ") || text.startsWith("Shutting down cpus with NMI");
    }

    /**
     * A new report starts: reports without caller ids, and the report of the same caller, end here;
     * the reports of other callers go on (their lines are told apart by their caller ids).
     * Returns those this completed (their stack dump was still going).
     */
    private List<Crash> closeBefore(LogLine line) {
        List<Crash> ended = List.of();
        for (int i = open.size() - 1; i >= 0; i--) {
            OpenCrash crash = open.get(i);
            if (crash.context.equals(line.context()) || !isCallerId(crash.context)) {
                if (crash.context.equals(line.context()) && crash.interruptedBy()) {
                    continue;
                }
                if (crash.endAtNextReport()) {
                    ended = new ArrayList<>(ended);
                    ended.add(0, crash.snapshot());
                }
                close(crash);
                open.remove(i);
                openChanged++;
            }
        }
        while (open.size() >= MAX_OPEN) {
            close(open.remove(0));
            openChanged++;
        }
        return ended;
    }

    private void closeIdle() {
        if (open.size() < 2 || lineNumber <= nextIdleCheck) {
            return;
        }
        int earliest = Integer.MAX_VALUE;
        for (int i = open.size() - 1; i >= 0; i--) {
            OpenCrash crash = open.get(i);
            if (crash.complete && lineNumber - crash.completedAt > IDLE_LINES && open.size() > 1) {
                close(crash);
                open.remove(i);
                openChanged++;
            } else if (crash.complete) {
                earliest = Math.min(earliest, crash.completedAt + IDLE_LINES);
            }
        }
        // no crash can become idle before then, unless one completes: completing lowers it again
        nextIdleCheck = open.size() < 2 ? 0 : earliest;
    }

    private static boolean isCallerId(String context) {
        return !context.isEmpty() && !LogLine.CONSOLE.equals(context);
    }

    private void close(OpenCrash crash) {
        if (crash == panicking) {
            panicking = null;
        }
        Crash snapshot = crash.snapshot();
        if (closed != null) {
            closed.accept(snapshot);
        } else {
            found.add(snapshot);
        }
    }

    private static boolean containsAny(String text, List<String> needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
