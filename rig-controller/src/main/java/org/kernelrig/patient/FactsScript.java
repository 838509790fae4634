package org.kernelrig.patient;

import java.time.Duration;

import org.kernelrig.LabException;
import org.kernelrig.config.NetworkAddresses;

/**
 * Gathers {@link PatientFacts} in one SSH round trip with a script that
 * works with iproute2 and with busybox, printing one section per fact.
 *
 * <p>For an IPv6 doctor the script first waits, within a limit, until the
 * interface towards the doctor has a usable address: one that is no longer
 * tentative (duplicate address detection takes a second or more after the
 * address appears, and SLAAC brings it only seconds after the link comes
 * up), has not failed detection, and is of any scope but link (a doctor
 * reached by a link-local address needs a link-local one). netconsole
 * started before that aborts with {@code netpoll: no IPv6 address for eth0}.
 */
public final class FactsScript {

    /** How long a board may take to get a usable IPv6 address, by SLAAC or otherwise. */
    public static final Duration ADDRESS_WAIT = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** The pause between two looks, as the script's {@code sleep 0.2} makes it. */
    private static final int POLL_MILLIS = 200;

    private FactsScript() {
    }

    /**
     * The script; {@code doctor} is an IP address, quoted all the same.
     *
     * @param device      the interface netconsole will send from, or null for the one the route to the doctor takes
     * @param addressWait how long to wait for a usable address towards an IPv6 doctor
     */
    static String script(String doctor, String device, Duration addressWait) {
        String s = FactsParser.SECTION;
        boolean ipv6 = NetworkAddresses.isIpv6(doctor);
        String quotedDoctor = ShellQuote.quote(doctor);
        return String.join("\n",
                ipv6 ? addressWait(doctor, device, addressWait) : "true",
                "echo '" + s + "release@@'; uname -r",
                "echo '" + s + "version@@'; uname -v",
                "echo '" + s + "machine@@'; uname -m",
                "echo '" + s + "printk@@'; cat /proc/sys/kernel/printk",
                "echo '" + s + "interfaces@@'",
                "for d in /sys/class/net/*; do n=${d##*/}; kind=wired;"
                        + " if [ -d \"$d/wireless\" ] || [ -e \"$d/phy80211\" ]; then kind=wireless; fi;"
                        + " echo \"$n $(cat \"$d/operstate\" 2>/dev/null || echo unknown)"
                        + " $(cat \"$d/address\" 2>/dev/null || echo -) $kind\"; done",
                "echo '" + s + "addresses@@'; ip addr show 2>/dev/null",
                "echo '" + s + "route@@'; ip " + (ipv6 ? "-6 " : "") + "route get " + quotedDoctor + " 2>&1",
                "echo '" + s + "netconsole@@'",
                "[ -d /sys/module/netconsole ] && echo loaded",
                "r=$(uname -r); grep -qs '/netconsole.ko' \"/lib/modules/$r/modules.builtin\" && echo builtin",
                "[ -n \"$(find \"/lib/modules/$r\" -name 'netconsole.ko*' 2>/dev/null | head -n 1)\" ] && echo available",
                "[ -d /sys/kernel/config/netconsole ] && echo configfs",
                "for t in /sys/kernel/config/netconsole/*; do [ -d \"$t\" ] && echo \"target ${t##*/}\"; done",
                "true");
    }

    /**
     * Polls until the interface has a usable address of the doctor's kind, or the limit passes; prints nothing.
     * Every busybox and iproute2 prints "tentative" (a failed address stays tentative too) and "scope link".
     */
    static String addressWait(String doctor, String device, Duration limit) {
        boolean linkLocal = NetworkAddresses.isIpv6LinkLocal(doctor);
        String usable = linkLocal
                ? "grep 'inet6 .*scope link' | grep -v -e tentative -e dadfailed | grep -q ."
                : "grep 'inet6 ' | grep -v -e tentative -e dadfailed -e 'scope link' -e 'scope host' | grep -q .";
        long rounds = Math.max(0, limit.toMillis() / POLL_MILLIS);
        return String.join("\n",
                "rig_i=0",
                "while :; do",
                "  rig_d=" + (device == null ? "" : ShellQuote.quote(device)),
                "  [ -n \"$rig_d\" ] || rig_d=$(ip -6 route get " + ShellQuote.quote(doctor)
                        + " 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -n 1)",
                "  if [ -n \"$rig_d\" ] && ip -6 addr show dev \"$rig_d\" 2>/dev/null | " + usable + "; then break; fi",
                "  [ \"$rig_i\" -ge " + rounds + " ] && break",
                "  rig_i=$((rig_i + 1))",
                "  sleep 0.2 2>/dev/null || sleep 1",
                "done");
    }

    /** Collects the facts; for an IPv6 doctor, after waiting up to {@link #ADDRESS_WAIT} for a usable address. */
    public static PatientFacts collect(Patient patient, String doctor) throws LabException {
        return collect(patient, doctor, null, ADDRESS_WAIT);
    }

    /**
     * Collects the facts.
     *
     * @param device      the interface netconsole will send from (netconsole.interface), or null for the route's
     * @param addressWait how long an IPv6 doctor's interface may take to get a usable address
     */
    public static PatientFacts collect(Patient patient, String doctor, String device, Duration addressWait)
            throws LabException {
        CommandResult result = patient.runAsRoot(script(doctor, device, addressWait), LIMIT.plus(addressWait));
        PatientFacts facts = FactsParser.parse(result.stdout());
        if (facts.release() == null) {
            throw new LabException("board " + patient.board() + ": cannot read facts about its system: "
                    + result.stderr().strip(), "is it a Linux system with a POSIX shell?");
        }
        return facts;
    }

    /** The MAC of {@code gateway} on {@code device}, after a ping so that the neighbour entry exists; or null. */
    public static String gatewayMac(Patient patient, String gateway, String device) throws LabException {
        CommandResult result = patient.runAsRoot(neighbourScript(gateway, device), LIMIT);
        return FactsParser.neighbourMac(result.stdout());
    }

    /** One ping to the router, then the neighbour entry the ping made the board resolve. */
    static String neighbourScript(String gateway, String device) {
        String neigh = (NetworkAddresses.isIpv6(gateway) ? "ip -6 neigh show " : "ip neigh show ")
                + ShellQuote.quote(gateway) + " dev " + ShellQuote.quote(device);
        return "{ " + neighbourPing(gateway, device) + "; } >/dev/null 2>&1; " + neigh;
    }

    /**
     * One ping to the router. An IPv6 router is usually link-local, so the ping names the interface;
     * {@code ping -6} is the way of iputils and busybox alike, {@code ping6} that of older ones.
     */
    public static String neighbourPing(String gateway, String device) {
        String g = ShellQuote.quote(gateway);
        String d = ShellQuote.quote(device);
        if (!NetworkAddresses.isIpv6(gateway)) {
            return "ping -c 1 -W 1 " + g;
        }
        return "ping -6 -c 1 -W 1 -I " + d + " " + g + " || ping6 -c 1 -W 1 -I " + d + " " + g;
    }
}
