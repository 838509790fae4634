package org.kernelrig.inventory;

/**
 * What rig does with the kernel's persistent store ({@code /sys/fs/pstore})
 * of a board after each recovery: the {@code pstore:} section of its file.
 *
 * @param collect read every record and save it in the run folder
 * @param delete  delete each record on the board once it is saved, so that the
 *                store (EFI variables, a RAM area) never fills; applies only when collecting
 */
public record PstoreSettings(boolean collect, boolean delete) {

    /** Collect and delete: what a board without a {@code pstore:} section gets. */
    public static PstoreSettings defaults() {
        return new PstoreSettings(true, true);
    }
}
