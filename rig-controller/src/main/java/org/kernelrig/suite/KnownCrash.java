package org.kernelrig.suite;

import java.util.regex.Pattern;

import org.kernelrig.config.Location;

/**
 * One entry of {@code known-crashes.yaml}: a crash already reported, found
 * by its fingerprint or by a regular expression over its title.
 *
 * @param name        the entry's name in the file
 * @param fingerprint the crash's fingerprint, lower case, or null when matched by title
 * @param title       searched in the crash's title and headline, or null when matched by fingerprint
 * @param kind        the crash kind id the crash must have too, or null for any
 * @param debianBug   the Debian bug number, or 0
 * @param note        a note for the reader, or null
 * @param location    where the entry stands in its file
 */
public record KnownCrash(String name, String fingerprint, Pattern title, String kind, int debianBug, String note,
        Location location) {

    /** Whether {@code crash} is this known crash. */
    public boolean matches(CrashRef crash) {
        if (kind != null && !kind.equals(crash.kind())) {
            return false;
        }
        if (fingerprint != null) {
            return fingerprint.equalsIgnoreCase(crash.fingerprint() == null ? "" : crash.fingerprint());
        }
        return crash.title() != null && title.matcher(crash.title()).find()
                || crash.headline() != null && title.matcher(crash.headline()).find();
    }

    /** The bug's page in Debian's bug tracker, or null when the entry names no bug. */
    public String bugUrl() {
        return debianBug > 0 ? "https://bugs.debian.org/" + debianBug : null;
    }
}
