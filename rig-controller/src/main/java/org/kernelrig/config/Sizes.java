package org.kernelrig.config;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes written as {@code 512K}, {@code 64M}, {@code 8G} (powers of 1024) or plain bytes. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    public static OptionalLong parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            long number = Long.parseLong(m.group(1));
            int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                case "T" -> 40;
                default -> 0;
            };
            if (number > (Long.MAX_VALUE >> shift)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(number << shift);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
