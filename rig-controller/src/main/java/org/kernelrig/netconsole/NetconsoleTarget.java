package org.kernelrig.netconsole;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.kernelrig.config.NetworkAddresses;

/**
 * One netconsole target, as the kernel's {@code netconsole=} parameter
 * writes it: {@code [+][r][src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-mac]}.
 * The rules are the kernel's (Documentation/networking/netconsole.rst and
 * netpoll's option parser): {@code +} turns on the extended format, {@code r}
 * prepends the kernel release and needs {@code +}; the target address is
 * required and so is the {@code /} after it; empty fields take the kernel's
 * defaults (source port 6665, target port 6666, the device's own address,
 * eth0, the broadcast MAC). Both addresses are of one family.
 *
 * @param sourcePort null for the kernel's default
 * @param sourceIp   null for the interface's address
 * @param device     null for the kernel's default device
 * @param targetPort null for the kernel's default
 * @param targetMac  null for the broadcast address (the doctor on the local network)
 */
public record NetconsoleTarget(boolean extended, boolean release, Integer sourcePort, String sourceIp, String device,
        Integer targetPort, String targetIp, String targetMac) {

    public static final int DEFAULT_SOURCE_PORT = 6665;
    public static final int DEFAULT_TARGET_PORT = 6666;

    public NetconsoleTarget {
        if (release && !extended) {
            throw new IllegalArgumentException("the release prefix (r) works only with the extended format (+)");
        }
        if (targetIp == null || !NetworkAddresses.isIpAddress(targetIp)) {
            throw new IllegalArgumentException("the target address must be an IP address, got " + targetIp + why(targetIp));
        }
        if (sourceIp != null && !NetworkAddresses.isIpAddress(sourceIp)) {
            throw new IllegalArgumentException("the source address must be an IP address, got " + sourceIp + why(sourceIp));
        }
        if (sourceIp != null && NetworkAddresses.isIpv6(sourceIp) != NetworkAddresses.isIpv6(targetIp)) {
            throw new IllegalArgumentException("source and target addresses must both be IPv4 or both IPv6");
        }
        checkPort(sourcePort, "source");
        checkPort(targetPort, "target");
        if (device != null && !device.matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}")) {
            throw new IllegalArgumentException("not a network interface name: " + device);
        }
        if (targetMac != null) {
            if (!NetworkAddresses.isMac(targetMac)) {
                throw new IllegalArgumentException("not a MAC address: " + targetMac);
            }
            targetMac = targetMac.toLowerCase(Locale.ROOT);
        }
    }

    /** Why an address with colons is no IPv6 address, as the kernel's in6_pton would refuse it. */
    private static String why(String address) {
        return address != null && address.contains(":") ? " (" + NetworkAddresses.ipv6Problem(address) + ")" : "";
    }

    private static void checkPort(Integer port, String which) {
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("the " + which + " port must be 1..65535, got " + port);
        }
    }

    /** Parses one target; an {@link IllegalArgumentException} says what is wrong. */
    public static NetconsoleTarget parse(String text) {
        String rest = text.strip();
        boolean extended = rest.startsWith("+");
        if (extended) {
            rest = rest.substring(1);
        }
        boolean release = rest.startsWith("r");
        if (release) {
            rest = rest.substring(1);
        }
        int comma = rest.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("expected [+][r][src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-mac]: "
                    + "no ',' between the source and the target in '" + text + "'");
        }
        String source = rest.substring(0, comma);
        String target = rest.substring(comma + 1);

        int at = source.indexOf('@');
        int slash = source.indexOf('/', Math.max(at, 0));
        if (at < 0 || slash < 0) {
            throw new IllegalArgumentException("the source part '" + source + "' must be [src-port]@[src-ip]/[dev]");
        }
        Integer sourcePort = port(source.substring(0, at), "source");
        String sourceIp = emptyToNull(source.substring(at + 1, slash));
        String device = emptyToNull(source.substring(slash + 1));

        int targetAt = target.indexOf('@');
        if (targetAt < 0) {
            throw new IllegalArgumentException("the target part '" + target + "' must be [tgt-port]@<tgt-ip>/[tgt-mac]");
        }
        Integer targetPort = port(target.substring(0, targetAt), "target");
        String address = target.substring(targetAt + 1);
        // The MAC holds colons too, so the address ends at the last '/' (the kernel's strchr finds the same one:
        // neither an IPv4 nor an IPv6 address contains a '/').
        int targetSlash = address.indexOf('/');
        if (targetSlash < 0) {
            throw new IllegalArgumentException("the target address must be followed by '/' (then an optional MAC) in '"
                    + target + "'");
        }
        String targetIp = address.substring(0, targetSlash);
        if (targetIp.isEmpty()) {
            throw new IllegalArgumentException("the target address is required in '" + target + "'");
        }
        String targetMac = emptyToNull(address.substring(targetSlash + 1));
        return new NetconsoleTarget(extended, release, sourcePort, sourceIp, device, targetPort, targetIp, targetMac);
    }

    /** Parses the value of {@code netconsole=}, whose targets are separated by {@code ;}. */
    public static List<NetconsoleTarget> parseAll(String text) {
        List<NetconsoleTarget> targets = new ArrayList<>();
        for (String part : text.split(";")) {
            if (!part.isBlank()) {
                targets.add(parse(part));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no netconsole target in '" + text + "'");
        }
        return targets;
    }

    /** The target port the kernel uses. */
    public int effectiveTargetPort() {
        return targetPort == null ? DEFAULT_TARGET_PORT : targetPort;
    }

    /** The target written back in the kernel's syntax; {@code parse(t.toString())} equals {@code t}. */
    @Override
    public String toString() {
        return (extended ? "+" : "") + (release ? "r" : "") + (sourcePort == null ? "" : sourcePort) + "@"
                + (sourceIp == null ? "" : sourceIp) + "/" + (device == null ? "" : device) + ","
                + (targetPort == null ? "" : targetPort) + "@" + targetIp + "/" + (targetMac == null ? "" : targetMac);
    }

    private static Integer port(String text, String which) {
        if (text.isEmpty()) {
            return null;
        }
        if (!text.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("the " + which + " port must be a number, got '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
