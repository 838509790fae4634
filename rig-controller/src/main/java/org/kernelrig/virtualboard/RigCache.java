package org.kernelrig.virtualboard;

import java.nio.file.Path;

/** Where rig keeps what it can build again: {@code $XDG_CACHE_HOME/rig}, else {@code ~/.cache/rig}. */
public final class RigCache {

    private RigCache() {
    }

    public static Path directory() {
        String override = System.getProperty("rig.cache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "rig");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "rig");
    }
}
