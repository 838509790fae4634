package org.kernelrig.netconsole;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.kernelrig.config.NetworkAddresses;

/** Patients are named by their address, written the short way ({@code 10.0.2.15}, {@code fe80::1}). */
public final class PatientAddress {

    private PatientAddress() {
    }

    /** Parses an address literal (never a host name: no name service is asked). */
    public static InetAddress parse(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!NetworkAddresses.isIpAddress(literal)) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + text + "'"
                    + (literal.contains(":") ? " (" + NetworkAddresses.ipv6Problem(literal) + ")" : ""));
        }
        try {
            return canonical(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + text + "'", e);
        }
    }

    /**
     * One address, one form: an IPv4-mapped IPv6 address ({@code ::ffff:10.0.2.15}, as a dual-stack socket
     * may see an IPv4 sender) becomes the IPv4 address, so that an allow list and a log name a patient the
     * same way whichever socket received it.
     */
    public static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are an IPv4 address", e);
                }
            }
        }
        return address;
    }

    /** The address as text, IPv6 with its longest run of zero groups written {@code ::}. */
    public static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
