package org.kernelrig.netconsole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kernelrig.netconsole.ExtendedDatagram.Fragment;
import org.kernelrig.netconsole.ExtendedDatagram.Header;

/**
 * Reads extended netconsole datagrams (Documentation/networking/netconsole.rst):
 * {@code [release,]<level>,<seq>,<timestamp-us>,<flag>[,ncfrag=<offset>/<total>];<message>}
 * followed by {@code " KEY=value"} lines. A pure function over bytes.
 */
public final class ExtendedRecordDecoder {

    /** The longest header considered: a release string plus the numeric fields. */
    static final int MAX_HEADER = 256;
    /**
     * The largest whole message a fragment may announce. The kernel's records are
     * about 1 KiB of text plus its dictionary and at most a few KiB of user data.
     */
    static final int MAX_MESSAGE = 16 * 1024;

    private static final ExtendedDatagram PLAIN = new ExtendedDatagram.Plain();

    private ExtendedRecordDecoder() {
    }

    public static ExtendedDatagram decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /** Classifies one datagram: plain, malformed extended, or an extended header with its body. */
    public static ExtendedDatagram decode(byte[] data, int offset, int length) {
        int semicolon = -1;
        int limit = Math.min(length, MAX_HEADER);
        for (int i = 0; i < limit; i++) {
            byte b = data[offset + i];
            if (b == ';') {
                semicolon = i;
                break;
            }
            if (b <= 0x20 || b > 0x7e) {
                // No header holds a space or a control character: console text ends the search early.
                return PLAIN;
            }
        }
        if (semicolon <= 0) {
            return PLAIN;
        }
        String header = new String(data, offset, semicolon, StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOfRange(data, offset + semicolon + 1, offset + length);
        // The release string comes first and may itself hold commas: try each start.
        for (int start = 0; start >= 0 && start < header.length(); start = nextField(header, start)) {
            ExtendedDatagram parsed = parseFields(header.substring(start), body,
                    start == 0 ? null : header.substring(0, start - 1));
            if (parsed != null) {
                return parsed;
            }
        }
        return PLAIN;
    }

    private static int nextField(String header, int start) {
        int comma = header.indexOf(',', start);
        return comma < 0 ? -1 : comma + 1;
    }

    /** Null when the fields are not an extended header. */
    private static ExtendedDatagram parseFields(String fields, byte[] body, String release) {
        if (release != null && release.isEmpty()) {
            return null;
        }
        String[] f = fields.split(",", -1);
        if (f.length < 4) {
            return null;
        }
        long prefix = number(f[0], 4);
        long sequence = number(f[1], 19);
        long timestamp = number(f[2], 19);
        if (prefix < 0 || sequence < 0 || timestamp < 0 || f[3].length() != 1 || "-c+".indexOf(f[3].charAt(0)) < 0) {
            return null;
        }
        Fragment fragment = null;
        for (int i = 4; i < f.length; i++) {
            if (f[i].startsWith("ncfrag=")) {
                String value = f[i].substring("ncfrag=".length());
                int slash = value.indexOf('/');
                long fragmentOffset = slash < 0 ? -1 : number(value.substring(0, slash), 9);
                long total = slash < 0 ? -1 : number(value.substring(slash + 1), 9);
                if (fragmentOffset < 0 || total < 0) {
                    return new ExtendedDatagram.Malformed("unreadable fragment field '" + f[i] + "'");
                }
                if (total == 0 || total > MAX_MESSAGE) {
                    return new ExtendedDatagram.Malformed("fragment total " + total + " outside 1.." + MAX_MESSAGE);
                }
                if (body.length == 0 || fragmentOffset + body.length > total) {
                    return new ExtendedDatagram.Malformed("fragment of " + body.length + " bytes at " + fragmentOffset
                            + " does not fit its total of " + total);
                }
                fragment = new Fragment((int) fragmentOffset, (int) total);
            }
            // Other fields are future extensions: ignored.
        }
        return new Header(release, (int) (prefix >> 3), (int) (prefix & 7), sequence, timestamp, f[3].charAt(0),
                fragment, body);
    }

    /** A decimal number of at most maxDigits digits, or -1. */
    private static long number(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The record a whole body makes: its message lines and its {@code KEY=value} properties. */
    public static ExtendedRecord record(Header header, byte[] wholeBody) {
        String text = DatagramText.sanitize(wholeBody);
        List<String> lines = new ArrayList<>(1);
        Map<String, String> properties = new LinkedHashMap<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            if (lines.isEmpty()) {
                lines.add(line);
            } else if (line.startsWith(" ") && line.indexOf('=') > 1) {
                int equals = line.indexOf('=');
                properties.put(line.substring(1, equals), line.substring(equals + 1));
            } else if (!line.isEmpty()) {
                lines.add(line);
            }
            start = end + 1;
        }
        return new ExtendedRecord(header.release(), header.facility(), header.level(), header.sequence(),
                header.timestampMicros(), header.continuation(), List.copyOf(lines), Collections.unmodifiableMap(properties));
    }
}
