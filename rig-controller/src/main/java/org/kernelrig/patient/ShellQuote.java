package org.kernelrig.patient;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes values for a POSIX shell on the patient. Every value from an
 * inventory or scenario file that reaches a remote command goes through
 * here, so that a name with shell metacharacters can never run anything.
 */
public final class ShellQuote {

    private ShellQuote() {
    }

    /** {@code it's} becomes {@code 'it'\''s'}: single quotes, with each quote closed, escaped and reopened. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A command line of quoted words. */
    public static String words(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
