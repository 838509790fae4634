package org.kernelrig;

import java.nio.file.Path;

/** Where rig keeps its files for the user, after the XDG base directory conventions. */
public final class UserFolders {

    private UserFolders() {
    }

    /** What must survive between runs (board instances, locks): {@code $XDG_STATE_HOME/rig}, else {@code ~/.local/state/rig}. */
    public static Path state() {
        return fromEnvironment("XDG_STATE_HOME", Path.of(".local", "state"));
    }

    /** What can be built again (images, keys): {@code $XDG_CACHE_HOME/rig}, else {@code ~/.cache/rig}. */
    public static Path cache() {
        String override = System.getProperty("rig.cache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return fromEnvironment("XDG_CACHE_HOME", Path.of(".cache"));
    }

    private static Path fromEnvironment(String variable, Path underHome) {
        String xdg = System.getenv(variable);
        // The specification ignores relative paths.
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "rig");
        }
        return Path.of(System.getProperty("user.home")).resolve(underHome).resolve("rig");
    }
}
