package org.kernelrig.board;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.Wait;
import org.kernelrig.UserFolders;

/**
 * One run at a time on a board, across processes: a lock file created
 * atomically, holding the holder's pid, host, start and time to live. A lock
 * whose process is gone (on this host) or which is past its time to live is
 * taken over, with a warning; otherwise a run waits for it or is refused.
 * A stale lock is first renamed away, so of two runs taking it over at once
 * only one succeeds.
 */
public final class BoardLock implements AutoCloseable {

    /** How long a lock holds before another run may take it over. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(6);
    private static final Duration POLL = Duration.ofSeconds(1);
    /** A lock file that cannot be read is being written, or was left half-written by a run that died. */
    private static final Duration UNREADABLE_GRACE = Duration.ofMinutes(1);

    private final Path file;
    private final String token;

    private BoardLock(Path file, String token) {
        this.file = file;
        this.token = token;
    }

    /** The folder of the lock files: {@code $XDG_STATE_HOME/rig/locks}. */
    public static Path directory() {
        return UserFolders.state().resolve("locks");
    }

    static BoardLock acquire(String board) throws LabException, InterruptedException {
        return acquire(directory(), board, Duration.ZERO, DEFAULT_TTL, message -> { });
    }

    /**
     * Takes the board's lock, waiting up to {@code wait} while another live run holds it.
     *
     * @param warn told when a stale lock is taken over
     */
    public static BoardLock acquire(Path directory, String board, Duration wait, Duration ttl, Consumer<String> warn)
            throws LabException, InterruptedException {
        Path file = directory.resolve(board + ".lock");
        String token = UUID.randomUUID().toString();
        Wait waiting = Wait.upTo(wait, "board " + board + "'s lock");
        Holder[] holder = new Holder[1];
        try {
            Files.createDirectories(directory);
            Optional<BoardLock> taken = waiting.poll(POLL, () -> {
                while (true) {
                    try {
                        Files.writeString(file, content(token, ttl), StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        return new BoardLock(file, token);
                    } catch (FileAlreadyExistsException e) {
                        holder[0] = Holder.read(file);
                        String stale = holder[0] != null ? holder[0].staleness() : unreadableFor(file, UNREADABLE_GRACE);
                        if (stale == null) {
                            return null;
                        }
                        takeOver(file, token);
                        warn.accept("board " + board + ": took over a lock " + stale
                                + (holder[0] == null ? "" : " (" + holder[0] + ")"));
                    }
                }
            });
            if (taken.isEmpty()) {
                throw new LabException("board " + board + " is busy: another rig run holds it"
                        + (holder[0] == null ? "" : " (" + holder[0] + ")"),
                        "wait for it with --wait-for-board DURATION, or, if that run is stuck, end it; the lock is "
                                + file);
            }
            return taken.get();
        } catch (IOException e) {
            throw new LabException("cannot lock board " + board + ": " + e.getMessage(), "check that " + file
                    + " can be written");
        }
    }

    private static String unreadableFor(Path file, Duration grace) throws IOException {
        try {
            Instant written = Files.getLastModifiedTime(file).toInstant();
            return written.plus(grace).isBefore(Instant.now()) ? "that could not be read" : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void takeOver(Path file, String token) throws IOException {
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".stale-" + token));
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".stale-" + token));
        } catch (NoSuchFileException e) {
            // another run took it over first; the next attempt sees its lock
        }
    }

    private static String content(String token, Duration ttl) throws IOException {
        return "pid=" + ProcessHandle.current().pid() + "\nhost=" + InetAddress.getLocalHost().getHostName()
                + "\nsince=" + Instant.now() + "\nttl=" + ttl.toSeconds() + "\ntoken=" + token + "\n";
    }

    /** Releases the lock, if it is still this run's. */
    @Override
    public void close() {
        try {
            Holder holder = Holder.read(file);
            if (holder != null && token.equals(holder.token())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a lock left behind is taken over once its process is gone
        }
    }

    /** Who holds a lock, as its file says. */
    record Holder(long pid, String host, Instant since, Duration ttl, String token) {

        static Holder read(Path file) {
            try {
                Properties p = new Properties();
                p.load(new java.io.StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                return new Holder(Long.parseLong(p.getProperty("pid")), p.getProperty("host", ""),
                        Instant.parse(p.getProperty("since")), Duration.ofSeconds(Long.parseLong(p.getProperty("ttl"))),
                        p.getProperty("token", ""));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** Why this lock no longer holds, or null while it does. */
        String staleness() throws IOException {
            if (host.equals(InetAddress.getLocalHost().getHostName())
                    && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return "whose process is gone";
            }
            if (since.plus(ttl).isBefore(Instant.now())) {
                return "past its time to live of " + ttl.toMinutes() + " min";
            }
            return null;
        }

        @Override
        public String toString() {
            return "pid " + pid + " on " + host + " since " + since;
        }
    }
}
