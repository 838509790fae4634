package org.kernelrig;

import java.time.Duration;
import java.util.Optional;

/**
 * A wait for something outside rig that cannot tell us when it is ready (a
 * board's SSH server, another run's lock, a serial port's buffer): asked
 * again at a steady pace until it answers or the deadline passes. Every
 * poll of the main code goes through here, so each has a limit and a
 * description for the message that tells it ran out.
 */
public final class Wait {

    /** One look at the thing waited for: a value once it is there, else null. */
    @FunctionalInterface
    public interface Check<T, E extends Exception> {
        T look() throws E, InterruptedException;
    }

    private final String what;
    private final Duration limit;
    private final long deadline;

    private Wait(String what, Duration limit) {
        this.what = what;
        this.limit = limit;
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    /** A wait for {@code what} (e.g. "board b1 to answer SSH") of at most {@code limit}, from now. */
    public static Wait upTo(Duration limit, String what) {
        return new Wait(what, limit);
    }

    /**
     * Looks every {@code every} until {@code check} gives a value; empty once
     * the next look would come after the deadline. The first look is at once.
     */
    public <T, E extends Exception> Optional<T> poll(Duration every, Check<T, E> check)
            throws E, InterruptedException {
        while (true) {
            T value = check.look();
            if (value != null) {
                return Optional.of(value);
            }
            if (System.nanoTime() + every.toNanos() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(every.toMillis(), (int) (every.toNanos() % 1_000_000));
        }
    }

    /** Time left before the deadline; zero or negative once it passed. */
    public Duration left() {
        return Duration.ofNanos(deadline - System.nanoTime());
    }

    public boolean expired() {
        return System.nanoTime() - deadline >= 0;
    }

    public Duration limit() {
        return limit;
    }

    /** "board b1 to answer SSH within 180 s", for messages. */
    @Override
    public String toString() {
        return what + " within " + limit.toSeconds() + " s";
    }
}
