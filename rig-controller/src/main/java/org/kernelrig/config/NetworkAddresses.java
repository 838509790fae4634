package org.kernelrig.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Syntax checks for the addresses a board file holds. No name is resolved
 * here: checking a file must not depend on the network.
 */
public final class NetworkAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern LINK_LOCAL = Pattern.compile("(?i)fe[89ab][0-9a-f]:.*");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[\\d.]+");
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private NetworkAddresses() {
    }

    public static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** A literal IPv6 address, possibly with an embedded IPv4 tail; no zone index. */
    public static boolean isIpv6(String text) {
        return text.contains(":") && ipv6Problem(text) == null;
    }

    /**
     * What is wrong with an IPv6 literal, in words, or null when it is one.
     * A zone index ({@code %eth0}) is wrong here: the kernel's parser takes none.
     */
    public static String ipv6Problem(String text) {
        int percent = text.indexOf('%');
        if (percent >= 0) {
            return "it has a zone index ('" + text.substring(percent) + "')";
        }
        for (char c : text.toCharArray()) {
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return "'" + c + "' is not a hex digit";
            }
        }
        String body = text;
        int groupsFromV4 = 0;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.') >= 0) {
            String tail = text.substring(lastColon + 1);
            if (!isIpv4(tail)) {
                return "its IPv4 part '" + tail + "' is not four numbers 0..255";
            }
            // The IPv4 tail stands for two groups; "0" keeps one place, the other is counted here.
            body = text.substring(0, lastColon + 1) + "0";
            groupsFromV4 = 1;
        }
        int doubleColon = body.indexOf("::");
        if (doubleColon >= 0 && body.indexOf("::", doubleColon + 1) >= 0) {
            return "'::' may stand only once";
        }
        if (body.startsWith(":") && !body.startsWith("::")) {
            return "it starts with a single ':'";
        }
        if (body.endsWith(":") && !body.endsWith("::")) {
            return "it ends with a single ':'";
        }
        int count = groupsFromV4;
        for (String group : body.split(":", -1)) {
            if (group.length() > 4) {
                return "the group '" + group + "' has more than 4 hex digits";
            }
            if (!group.isEmpty()) {
                count++;
            }
        }
        if (doubleColon >= 0 ? count > 7 : count != 8) {
            return "it has " + count + " groups of hex digits; an IPv6 address has 8, or fewer with '::'";
        }
        return null;
    }

    /**
     * The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:10.0.2.2}, in any spelling) stands for,
     * or null when {@code text} is not one.
     */
    public static String mappedIpv4(String text) {
        return isIpv6(text) && literal(text) instanceof Inet4Address v4 ? v4.getHostAddress() : null;
    }

    /** The unspecified address of either family ({@code 0.0.0.0}, {@code ::}), which names no machine. */
    public static boolean isUnspecified(String text) {
        return isIpAddress(text) && literal(text).isAnyLocalAddress();
    }

    /** A checked literal as an address; no name service is asked, as the text is a literal. */
    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
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
            return "is not a valid IPv6 address: '" + text + "' (" + ipv6Problem(text) + ")";
        }
        return "is not a valid host name or IP address: '" + text + "'";
    }

    /** An error text for an IP-address-only field, or null. */
    public static String checkIp(String text) {
        if (isIpAddress(text)) {
            return null;
        }
        if (text.contains(":")) {
            return "is not a valid IPv6 address: '" + text + "' (" + ipv6Problem(text) + ")";
        }
        return "is not a valid IPv4 address: '" + text + "' (four numbers 0..255 separated by dots)";
    }

    /**
     * An error text for an address netconsole sends from or to ({@code doctor.address},
     * {@code netconsole.source-ip}), or null. Beyond the syntax, the kernel's rules: no zone index (the
     * interface is named apart), an address that names a machine, and no IPv4-mapped IPv6 address (netconsole
     * would send IPv6 packets to it, which no IPv4 doctor receives).
     */
    public static String checkNetconsoleIp(String text) {
        String zone = zoneIndexError(text, "netconsole takes none: write " + withoutZone(text)
                + " (netconsole.interface names the interface the board sends from)");
        if (zone != null) {
            return zone;
        }
        String error = checkIp(text);
        if (error != null) {
            return error;
        }
        if (isUnspecified(text)) {
            return "is the unspecified address '" + text + "', which names no machine: write the address itself";
        }
        String v4 = mappedIpv4(text);
        if (v4 != null) {
            return "is an IPv4-mapped IPv6 address: '" + text + "'; netconsole would send IPv6 packets to it: write "
                    + v4;
        }
        return null;
    }

    /** An error text for the local address a receiver binds to ({@code doctor.listen}), or null. */
    public static String checkListenIp(String text) {
        String zone = zoneIndexError(text, "rig takes none: write :: to listen on every address");
        if (zone != null) {
            return zone;
        }
        String error = checkIp(text);
        if (error != null) {
            return error;
        }
        String v4 = mappedIpv4(text);
        if (v4 != null) {
            return "is an IPv4-mapped IPv6 address: '" + text + "': write " + v4 + ", or :: for every address";
        }
        return null;
    }

    /** An IPv6 link-local address (fe80::/10), which reaches only the link it is on. */
    public static boolean isIpv6LinkLocal(String text) {
        return isIpv6(text) && LINK_LOCAL.matcher(text).matches();
    }

    /** True when both are IPv6 or both IPv4 (literals). */
    public static boolean sameFamily(String a, String b) {
        return isIpv6(a) == isIpv6(b);
    }

    /** "IPv4" or "IPv6". */
    public static String family(String address) {
        return isIpv6(address) ? "IPv6" : "IPv4";
    }

    private static String zoneIndexError(String text, String advice) {
        int percent = text.indexOf('%');
        if (percent < 0 || !isIpv6(text.substring(0, percent))) {
            return null;
        }
        return "has a zone index ('" + text.substring(percent) + "') after the address '" + text.substring(0, percent)
                + "': " + advice;
    }

    private static String withoutZone(String text) {
        int percent = text.indexOf('%');
        return percent < 0 ? text : text.substring(0, percent);
    }

    /** An error text for a MAC address field, or null. */
    public static String checkMac(String text) {
        return isMac(text) ? null
                : "is not a valid MAC address: '" + text + "' (six two-digit hex numbers separated by colons, "
                        + "e.g. 00:11:22:33:44:55; 'ip neigh show' on the board prints the gateway's)";
    }
}
