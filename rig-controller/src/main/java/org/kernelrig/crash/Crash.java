package org.kernelrig.crash;

import java.util.List;

/**
 * One kernel crash found in a console log.
 *
 * @param kind              what sort of crash
 * @param title             its title in syzkaller's conventions ({@code WARNING in foo},
 *                          {@code kernel panic: sysrq triggered crash}); numbers and addresses normalised
 * @param alternativeTitles other titles of the same crash ({@code bad-access in foo}, ...)
 * @param corrupted         the report is damaged: interleaved with other output or missing its stack trace
 * @param corruptedReason   why it is corrupted, or null
 * @param panicked          the kernel panicked ({@code Kernel panic - not syncing})
 * @param panicReason       the text after {@code Kernel panic - not syncing: }, or null
 * @param guiltyFrame       the function blamed: the first frame that is not generic plumbing, or null
 * @param frames            the stack frames of the report, in order, unreliable ({@code ?}) frames left out
 * @param taint             the taint flags of the {@code CPU: ... Tainted:} line without spaces
 *                          ({@code ""} for {@code Not tainted}), or null when the report has no such line
 * @param kernelRelease     the kernel release ({@code 6.1.0-26-amd64}), or null
 * @param hardware          the {@code Hardware name:}, or null
 * @param firstLine         the 1-based line number of the line that starts the crash
 * @param lastLine          the 1-based line number of its last line
 * @param complete          the crash's end was seen ({@code ---[ end trace}, {@code ---[ end Kernel panic},
 *                          the end of a sanitizer report or of the stack dump)
 * @param fingerprint       the same for the same crash on every boot: a hash of the kind, the title and
 *                          the names of the top frames
 * @param report            the lines of the crash, without console prefixes
 */
public record Crash(CrashKind kind, String title, List<String> alternativeTitles, boolean corrupted,
        String corruptedReason, boolean panicked, String panicReason, String guiltyFrame, List<StackFrame> frames,
        String taint, String kernelRelease, String hardware, int firstLine, int lastLine, boolean complete,
        String fingerprint, List<String> report) {
}
