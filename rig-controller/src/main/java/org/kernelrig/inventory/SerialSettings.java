package org.kernelrig.inventory;

/** Where a board's serial console can be read. */
public sealed interface SerialSettings {

    /** A local serial port, e.g. {@code /dev/serial/by-id/usb-FTDI_...}, opened with jssc. */
    record Device(String path, int baud, String framing) implements SerialSettings {
        public static final int DEFAULT_BAUD = 115200;
        public static final String DEFAULT_FRAMING = "8N1";
    }

    /** A console served over TCP by a serial server such as ser2net, raw or telnet with RFC 2217. */
    record Tcp(String host, int port, boolean telnet) implements SerialSettings {
    }

    /** The pseudo-terminal a virtual board's emulator creates when it starts. */
    record Virtual() implements SerialSettings {
    }

    /** A human description for listings. */
    default String describe() {
        if (this instanceof Device d) {
            return d.path() + "@" + d.baud();
        }
        if (this instanceof Tcp t) {
            return (t.telnet() ? "telnet://" : "tcp://") + t.host() + ":" + t.port();
        }
        return "pty";
    }
}
