package org.kernelrig.console;

import java.util.function.Consumer;

/**
 * A witness of a board's kernel output (netconsole, serial console). It
 * writes what it receives to its raw log before anything else sees it, then
 * hands each line to its subscribers.
 */
public interface ConsoleSource extends AutoCloseable {

    /** Starts receiving; lines arriving from now on reach the subscribers. */
    void start() throws org.kernelrig.LabException;

    /** Adds a subscriber, called on the source's own thread for every line. */
    void subscribe(Consumer<ConsoleLine> subscriber);

    /** Stops receiving and flushes the raw log. */
    @Override
    void close();
}
