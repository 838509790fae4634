package org.kernelrig.report;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Who sends a {@code kcidb.json} and where its links point.
 *
 * @param origin     the CI system's name in KCIDB, the prefix of every id: lower case letters, digits, '_'
 * @param reportsUrl where the reports folder is published (a CI job's artifacts), or null to link the
 *                   local files with file: URLs
 */
public record KcidbSettings(String origin, URI reportsUrl) {

    public static final String DEFAULT_ORIGIN = "rig";
    /** KCIDB's rule for an origin. */
    public static final Pattern ORIGIN = Pattern.compile("[a-z0-9_]+");

    public static final KcidbSettings DEFAULTS = new KcidbSettings(DEFAULT_ORIGIN, null);

    public KcidbSettings {
        String problem = originProblem(origin);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (reportsUrl != null) {
            if (!reportsUrl.isAbsolute()) {
                throw new IllegalArgumentException("the reports URL must be absolute (https://...), got '" + reportsUrl
                        + "'");
            }
            // A base without its final slash would drop its last segment when run folders are resolved against it.
            if (!reportsUrl.getPath().endsWith("/")) {
                reportsUrl = URI.create(reportsUrl + "/");
            }
        }
    }

    /** Why {@code origin} cannot be one, or null when it can. */
    public static String originProblem(String origin) {
        if (origin == null || !ORIGIN.matcher(origin).matches()) {
            return "the origin must be lower case letters, digits and '_' (KCIDB's rule), got '" + origin + "'";
        }
        return null;
    }
}
