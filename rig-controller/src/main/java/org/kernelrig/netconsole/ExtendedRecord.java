package org.kernelrig.netconsole;

import java.util.List;
import java.util.Map;

/**
 * One whole kernel record from extended netconsole, its fragments joined.
 *
 * @param release         the kernel release prepended by the {@code r} option, else null
 * @param facility        the syslog facility (0 for the kernel, 1 for user space via /dev/kmsg)
 * @param level           the log level 0..7
 * @param sequence        the kernel's record sequence number
 * @param timestampMicros microseconds since boot
 * @param continuation    the continuation flag: {@code -}, {@code c} or {@code +}
 * @param lines           the message: usually one line (the kernel escapes newlines inside
 *                        a message), more when a sender puts raw lines after it
 * @param properties      the {@code KEY=value} lines that follow the message (device
 *                        dictionary, netconsole user data), in order
 */
public record ExtendedRecord(String release, int facility, int level, long sequence, long timestampMicros,
        char continuation, List<String> lines, Map<String, String> properties) {

    /** The message's first line. */
    public String text() {
        return lines.isEmpty() ? "" : lines.get(0);
    }
}
