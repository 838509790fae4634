package org.kernelrig.pstore;

import java.time.Instant;
import java.util.Arrays;

/**
 * One file of a board's pstore, as read: its name and its bytes, exactly as
 * the board gave them.
 *
 * @param fileName the name under {@code /sys/fs/pstore}
 * @param content  the bytes read (a copy is kept)
 * @param modified the file's time, which the kernel sets to the time of the dump where it knows it; or null
 */
public record PstoreRecord(String fileName, byte[] content, Instant modified) {

    public PstoreRecord {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public int size() {
        return content.length;
    }

    public RecordName name() {
        return RecordName.parse(fileName);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PstoreRecord r && r.fileName.equals(fileName) && Arrays.equals(r.content, content)
                && java.util.Objects.equals(r.modified, modified);
    }

    @Override
    public int hashCode() {
        return fileName.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return fileName + " (" + content.length + " bytes)";
    }
}
