package org.kernelrig.virtualboard;

import java.util.List;

/**
 * The crash types of the virtual board's LKDTM-lite module, a small module of
 * rig's own (GPL-2.0, source in this package's resources) that offers them
 * under LKDTM's names at LKDTM's path, because Debian's kernels do not build
 * LKDTM.
 */
public final class LkdtmLite {

    /** Writing one of these names to {@link #DIRECT} provokes that crash. */
    public static final List<String> CRASH_TYPES = List.of("PANIC", "BUG", "WARNING", "WARNING_MESSAGE",
            "EXCEPTION", "ACCESS_NULL", "ACCESS_NONCANONICAL", "SOFTLOCKUP", "HUNG_TASK");

    /** Where LKDTM, and LKDTM-lite, take the name of a crash to provoke. */
    public static final String DIRECT = "/sys/kernel/debug/provoke-crash/DIRECT";

    private LkdtmLite() {
    }
}
