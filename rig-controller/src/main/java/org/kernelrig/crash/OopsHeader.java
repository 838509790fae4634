package org.kernelrig.crash;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A text that starts a crash report ({@code "BUG:"}, {@code "WARNING:"}, {@code "Kernel panic"}),
 * the formats that title the reports it starts, in order of preference, and the lines that contain it
 * without being a crash ({@code "WARNING: /etc/ssh/moduli does not exist"}).
 *
 * @param keyword      the text a line must contain
 * @param kind         the kind when no format matches
 * @param formats      the title formats
 * @param suppressions lines containing the keyword that are not crashes
 */
record OopsHeader(String keyword, CrashKind kind, List<TitleFormat> formats, List<Pattern> suppressions) {

    /** Whether every title format starts with the keyword, so none can match before it. */
    boolean formatsStartWithKeyword() {
        for (TitleFormat format : formats) {
            if (!format.prefix().startsWith(keyword)) {
                return false;
            }
        }
        return true;
    }

    boolean suppressed(String line) {
        for (Pattern suppression : suppressions) {
            if (TitleRules.prefilter(suppression).mayMatch(line) && suppression.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }
}
