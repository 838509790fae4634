package org.kernelrig.pstore;

import java.nio.file.Path;

/**
 * One record of a board's pstore as rig handled it.
 *
 * @param fileName the name on the board
 * @param savedAs  where its bytes were saved, or null when it could not be read
 * @param size     the bytes saved (or the size listed, when not read)
 * @param whole    read whole; false when cut at the size bound or not read
 * @param deleted  deleted on the board after it was saved
 */
public record CollectedRecord(String fileName, Path savedAs, long size, boolean whole, boolean deleted) {

    public boolean saved() {
        return savedAs != null;
    }
}
