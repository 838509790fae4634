package org.kernelrig.crash;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A text that starts a crash report ({@code "BUG:"}, {@code "WARNING:"}, {@code "Kernel panic"}),
 * the formats that title the reports it starts, in order of preference, and the lines that contain it
 * without being a crash ({@code "WARNING: /etc/ssh/moduli does not exist"}).
 *
 * @param keyword                 the text a line must contain
 * @param kind                    the kind when no format matches
 * @param formats                 the title formats
 * @param suppressions            lines containing the keyword that are not crashes
 * @param formatsStartWithKeyword every title format starts with the keyword, so none can match before it
 * @param suppressionFilters      the prefilter of each suppression
 */
record OopsHeader(String keyword, CrashKind kind, List<TitleFormat> formats, List<Pattern> suppressions,
        boolean formatsStartWithKeyword, List<TitleRules.Prefilter> suppressionFilters) {

    OopsHeader(String keyword, CrashKind kind, List<TitleFormat> formats, List<Pattern> suppressions) {
        this(keyword, kind, formats, suppressions,
                formats.stream().allMatch(format -> format.prefix().startsWith(keyword)),
                suppressions.stream().map(TitleRules::prefilter).toList());
    }

    boolean suppressed(String line) {
        for (int i = 0; i < suppressions.size(); i++) {
            if (suppressionFilters.get(i).mayMatch(line) && suppressions.get(i).matcher(line).find()) {
                return true;
            }
        }
        return false;
    }
}
