package org.kernelrig.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.kernelrig.LabException;
import org.kernelrig.UserFolders;

/**
 * One run at a time on a board, across processes: an OS file lock, which
 * the kernel releases when the process dies, so a crashed rig never leaves
 * a board locked. The holder's pid is written in the file for messages.
 */
final class BoardLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private BoardLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The folder of the lock files: {@code $XDG_STATE_HOME/rig/locks}. */
    static Path directory() {
        return UserFolders.state().resolve("locks");
    }

    static BoardLock acquire(String board) throws LabException {
        Path file = directory().resolve(board + ".lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new LabException("board " + board + " is busy: another rig run"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + " is using it",
                        "wait until it ends; the lock is " + file);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            return new BoardLock(channel, lock);
        } catch (IOException e) {
            throw new LabException("cannot lock board " + board + ": " + e.getMessage(), "check that " + file
                    + " can be written");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
