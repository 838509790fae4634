package org.kernelrig.pstore;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a file under {@code /sys/fs/pstore}, which the kernel makes as
 * {@code <type>-<backend>-<id>}, with {@code .enc.z} appended to a compressed
 * record it could not decompress: {@code dmesg-ramoops-0},
 * {@code dmesg-efi-179551689701001}, {@code console-ramoops-0},
 * {@code dmesg-efi-179551700001001.enc.z}. Pure parsing; a name that does not
 * follow the pattern is kept with the type {@link #UNKNOWN}.
 *
 * @param fileName   the name as the board gave it
 * @param type       the record type ({@code dmesg}, {@code console}, {@code ftrace}, {@code pmsg}, ...), or
 *                   {@link #UNKNOWN}
 * @param backend    the backend that stored it ({@code ramoops}, {@code efi}, ...), or null
 * @param id         the backend's record id, or null
 * @param compressed the {@code .enc.z} suffix: a compressed record that the kernel could not decompress
 */
public record RecordName(String fileName, String type, String backend, Long id, boolean compressed) {

    /** The type of a name rig cannot read. */
    public static final String UNKNOWN = "unknown";
    /** The suffix the kernel gives a record it could not decompress. */
    public static final String UNDECOMPRESSED_SUFFIX = ".enc.z";

    /** The kernel's record types (fs/pstore/platform.c), longest first so that {@code powerpc-ofw} wins. */
    private static final List<String> TYPES = List.of("dmesg", "mce", "console", "ftrace", "rtas", "powerpc-ofw",
            "powerpc-common", "pmsg", "powerpc-opal").stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    private static final Pattern BACKEND_AND_ID = Pattern.compile("([A-Za-z0-9_.]{1,32})-(\\d{1,19})");
    private static final Pattern BACKEND = Pattern.compile("[A-Za-z0-9_.]{1,32}");

    public static RecordName parse(String fileName) {
        boolean compressed = fileName.endsWith(UNDECOMPRESSED_SUFFIX);
        String rest = compressed ? fileName.substring(0, fileName.length() - UNDECOMPRESSED_SUFFIX.length()) : fileName;
        for (String type : TYPES) {
            if (!rest.startsWith(type + "-")) {
                continue;
            }
            String tail = rest.substring(type.length() + 1);
            Matcher withId = BACKEND_AND_ID.matcher(tail);
            if (withId.matches()) {
                return new RecordName(fileName, type, withId.group(1), parseId(withId.group(2)), compressed);
            }
            if (BACKEND.matcher(tail).matches()) {
                return new RecordName(fileName, type, tail, null, compressed);
            }
        }
        return new RecordName(fileName, UNKNOWN, null, null, compressed);
    }

    /** A record of the kernel's log: a dump ({@code dmesg}) or the console's output ({@code console}). */
    public boolean isKernelLog() {
        return type.equals("dmesg") || type.equals("console");
    }

    public boolean isDmesg() {
        return type.equals("dmesg");
    }

    /**
     * The time of the dump in seconds since the epoch, for an EFI record, whose id is
     * {@code (seconds * 100 + part) * 1000 + count} (drivers/firmware/efi/efi-pstore.c); else null.
     */
    public Long efiSeconds() {
        return "efi".equals(backend) && id != null ? id / 100_000 : null;
    }

    private static Long parseId(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
