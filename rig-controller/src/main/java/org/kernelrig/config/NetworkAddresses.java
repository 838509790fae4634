package org.kernelrig.config;

import java.util.regex.Pattern;

/**
 * Syntax checks for the addresses a board file holds. No name is resolved
 * here: checking a file must not depend on the network.
 */
public final class NetworkAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[\\d.]+");
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private NetworkAddresses() {
    }

    public static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** A literal IPv6 address, possibly with an embedded IPv4 tail; no zone index. */
    public static boolean isIpv6(String text) {
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        String body = text;
        int groupsFromV4 = 0;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.') >= 0) {
            if (!isIpv4(text.substring(lastColon + 1))) {
                return false;
            }
            body = text.substring(0, lastColon + 1) + "0";
            groupsFromV4 = 1;
        }
        int doubleColon = body.indexOf("::");
        if (doubleColon >= 0 && body.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = body.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                // Empty groups are allowed only as part of the one "::".
                boolean partOfDouble = doubleColon >= 0;
                if (!partOfDouble) {
                    return false;
                }
                continue;
            }
            if (g.length() > 4) {
                return false;
            }
            count++;
        }
        count += groupsFromV4;
        if (body.startsWith(":") && !body.startsWith("::") || body.endsWith(":") && !body.endsWith("::")) {
            return false;
        }
        return doubleColon >= 0 ? count < 8 + groupsFromV4 : count == 8 + groupsFromV4;
    }

    public static boolean isIpAddress(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    public static boolean isMac(String text) {
        return MAC.matcher(text).matches();
    }

    /** An IP address literal or a DNS host name. */
    public static boolean isHost(String text) {
        if (isIpAddress(text)) {
            return true;
        }
        // All digits and dots but not a valid IPv4 address: a malformed address, not a name.
        return !DOTTED_NUMBERS.matcher(text).matches() && HOSTNAME.matcher(text).matches();
    }

    /** An error text for a host field, or null when it is acceptable. */
    public static String checkHost(String text) {
        if (isHost(text)) {
            return null;
        }
        if (DOTTED_NUMBERS.matcher(text).matches()) {
            return "is not a valid IPv4 address: '" + text + "' (four numbers 0..255 separated by dots)";
        }
        if (text.contains(":")) {
            return "is not a valid IPv6 address: '" + text + "'";
        }
        return "is not a valid host name or IP address: '" + text + "'";
    }

    /** An error text for an IP-address-only field, or null. */
    public static String checkIp(String text) {
        if (isIpAddress(text)) {
            return null;
        }
        if (text.contains(":")) {
            return "is not a valid IPv6 address: '" + text + "'";
        }
        return "is not a valid IPv4 address: '" + text + "' (four numbers 0..255 separated by dots)";
    }

    /** An error text for a MAC address field, or null. */
    public static String checkMac(String text) {
        return isMac(text) ? null
                : "is not a valid MAC address: '" + text + "' (six two-digit hex numbers separated by colons, "
                        + "e.g. 00:11:22:33:44:55; 'ip neigh show' on the board prints the gateway's)";
    }
}
