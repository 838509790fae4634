package org.kernelrig.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one file so that a user sees all of them at once. */
public final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    public void add(Location at, String message) {
        list.add(new ConfigProblem(at, message, null));
    }

    public void add(Location at, String message, String hint) {
        list.add(new ConfigProblem(at, message, hint));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(list);
    }

    /** Throws when anything was collected; the caller's result is then unusable. */
    public void throwIfAny() throws InvalidConfigException {
        if (!list.isEmpty()) {
            throw new InvalidConfigException(list);
        }
    }
}
