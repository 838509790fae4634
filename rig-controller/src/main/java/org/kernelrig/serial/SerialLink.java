package org.kernelrig.serial;

import java.io.IOException;

/**
 * Where a board's console bytes come from: a local serial port or a serial
 * server over TCP. A {@link SerialConsole} opens it again whenever it is lost.
 */
public interface SerialLink {

    /** Opens the link; fails when the port or server is not there (yet). */
    Connection open() throws IOException;

    /** For messages and gap markers: {@code /dev/ttyUSB0}, {@code tcp://127.0.0.1:3001}. */
    String describe();

    /** The word the gap marker uses: a port is "reopened", a connection "reconnected". */
    default String reopenedWord() {
        return "reopened";
    }

    /** What the gap marker calls the link: "serial port", "serial server connection". */
    default String noun() {
        return "serial port";
    }

    /** One open link. */
    interface Connection extends AutoCloseable {

        /**
         * Reads the console's bytes, waiting up to {@code waitMillis} for the first.
         *
         * @return the number of bytes read, 0 when nothing arrived in time
         * @throws IOException when the link is lost
         */
        int read(byte[] buffer, long waitMillis) throws IOException;

        /** Sends bytes to the board; only when the user asks for it. */
        void write(byte[] bytes) throws IOException;

        @Override
        void close();
    }
}
