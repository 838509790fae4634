package org.kernelrig.suite;

import org.kernelrig.report.RunReport.CrashFinding;

/**
 * A crash as runs are compared by it: its fingerprint, and what a person
 * needs to recognise it.
 *
 * @param fingerprint the analyzer's fingerprint, the same for the same crash on every boot
 * @param kind        the crash kind id ({@code panic}, {@code warning}, ...)
 * @param title       the title in syzkaller's conventions
 * @param headline    the crash's first line as the kernel printed it
 */
public record CrashRef(String fingerprint, String kind, String title, String headline) {

    public static CrashRef of(CrashFinding crash) {
        return new CrashRef(crash.fingerprint(), crash.kind(), crash.title(), crash.headline());
    }

    /**
     * What makes two crashes the same: the fingerprint, or kind and title
     * for a report that has none.
     */
    public String identity() {
        return fingerprint != null && !fingerprint.isBlank() ? fingerprint : kind + "\n" + title;
    }
}
