package org.kernelrig.netconsole;

/**
 * What {@link ExtendedRecordDecoder} makes of one datagram.
 */
sealed interface ExtendedDatagram {

    /** Not in the extended format: a plain console datagram. */
    record Plain() implements ExtendedDatagram {
    }

    /** An extended header that cannot be true, such as a fragment beyond its total. */
    record Malformed(String reason) implements ExtendedDatagram {
    }

    /**
     * An extended datagram: a whole record, or one fragment of one.
     *
     * @param release         the kernel release the {@code r} option prepends, else null
     * @param facility        the syslog facility (0 for the kernel)
     * @param level           the log level 0..7
     * @param sequence        the kernel's record sequence number
     * @param timestampMicros microseconds since boot
     * @param continuation    the kernel's continuation flag: {@code -}, {@code c} or {@code +}
     * @param fragment        where this body belongs in the whole, or null when it is the whole
     * @param body            the bytes after the header's {@code ;}
     */
    record Header(String release, int facility, int level, long sequence, long timestampMicros,
            char continuation, Fragment fragment, byte[] body) implements ExtendedDatagram {
    }

    /** The {@code ncfrag=<offset>/<total>} field: this body's byte offset in a message of total bytes. */
    record Fragment(int offset, int total) {
    }
}
