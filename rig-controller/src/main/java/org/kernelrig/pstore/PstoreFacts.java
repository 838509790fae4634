package org.kernelrig.pstore;

import java.time.Instant;
import java.util.List;

/**
 * What a patient's pstore looks like: whether the kernel has one and it is
 * mounted, which backend keeps the records, what the kernel does after a
 * panic, and the records it shows.
 *
 * @param path              where the store was looked for, normally {@code /sys/fs/pstore}
 * @param present           the directory exists (the kernel has pstore)
 * @param mounted           a pstore filesystem is mounted there (after rig's mount, if it made one)
 * @param mountedByRig      rig mounted it for this reading
 * @param mountError        what {@code mount} said when rig's mount failed, else null
 * @param backend           the registered backend ({@code ramoops}, {@code efi}, ...), or null when none is
 * @param compression       the kernel's compression of dumps ({@code deflate}), or null
 * @param panicTimeout      {@code /proc/sys/kernel/panic}: seconds before the kernel reboots after a panic, 0 never,
 *                          negative at once; null when unreadable
 * @param panicOnOops       {@code /proc/sys/kernel/panic_on_oops}, or null
 * @param archivedBySystemd files under {@code /var/lib/systemd/pstore}, where systemd-pstore moves records at boot
 * @param records           the records the store shows
 */
public record PstoreFacts(String path, boolean present, boolean mounted, boolean mountedByRig, String mountError,
        String backend, String compression, Integer panicTimeout, Integer panicOnOops, int archivedBySystemd,
        List<ListedRecord> records) {

    public PstoreFacts {
        records = List.copyOf(records);
    }

    /**
     * One file of the store as listed.
     *
     * @param modified its time, or null
     */
    public record ListedRecord(String fileName, long size, Instant modified) {
    }

    /** The store can be read: present and mounted, or a directory rig was told to read as it is. */
    public boolean readable() {
        return present && (mounted || mountError == null);
    }

    /** True when the kernel reboots by itself after a panic ({@code panic} timeout not 0). */
    public boolean rebootsAfterPanic() {
        return panicTimeout != null && panicTimeout != 0;
    }
}
