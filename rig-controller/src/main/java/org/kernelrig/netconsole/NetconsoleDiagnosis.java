package org.kernelrig.netconsole;

import java.time.Duration;
import java.util.List;

import org.kernelrig.LabException;
import org.kernelrig.config.NetworkAddresses;

/**
 * Why a marker written on the patient did not reach the doctor, judged in
 * the order that finds the commonest cause first: netconsole not running
 * (the kernel's own reason), console log level too low, interface wireless
 * or down, a routed doctor with a wrong or missing router MAC, and
 * otherwise the doctor's firewall.
 *
 * @param consoleLogLevel   the patient's console log level now
 * @param markerLevel       the log level the marker was written at
 * @param interfaceState    the sending interface's operstate
 * @param netconsoleRunning the module is loaded (or built in)
 * @param targetEnabled     a configfs target's {@code enabled}, or null for a module parameter target
 * @param kernelMessages    the kernel's latest netconsole and netpoll messages
 * @param routerMac         the router's MAC as the board knows it now, when the doctor is routed
 */
public record NetconsoleDiagnosis(String board, NetconsolePlan plan, Duration waited, int consoleLogLevel,
        int markerLevel, String interfaceState, boolean wireless, boolean netconsoleRunning, Boolean targetEnabled,
        List<String> kernelMessages, String routerMac) {

    public NetconsoleDiagnosis {
        kernelMessages = List.copyOf(kernelMessages);
    }

    /** The reason, as a lab error to report. */
    public LabException explain() {
        String head = "board " + board + ": netconsole marker not received within " + waited.toSeconds() + " s";
        NetconsoleTarget target = plan.target();
        String device = target.device();
        if (!netconsoleRunning || Boolean.FALSE.equals(targetEnabled)) {
            String said = kernelMessages.isEmpty() ? "" : "; the kernel said: " + String.join(" / ", kernelMessages);
            return new LabException(head + ": netconsole is not running on the board" + said,
                    hintForKernelMessages());
        }
        if (consoleLogLevel >= 0 && consoleLogLevel <= markerLevel) {
            return new LabException(head + ": the console log level is " + consoleLogLevel + " (needs >= "
                    + (markerLevel + 1) + ", and 8 for every message)", "rig raises it with dmesg -n 8 unless told not to; "
                            + "something on the board lowered it again (a sysctl kernel.printk setting, or loglevel= on "
                            + "the kernel command line)");
        }
        if (wireless) {
            return new LabException(head + ": interface " + device + " is wireless; netconsole works over Ethernet only",
                    "wire the board by Ethernet and set netconsole.interface");
        }
        if (interfaceState != null && !interfaceState.equals("up") && !interfaceState.equals("unknown")) {
            return new LabException(head + ": interface " + device + " is " + interfaceState,
                    "bring it up on the board (ip link set " + device + " up) and check its cable");
        }
        if (plan.gateway() != null && (target.targetMac() == null || !target.targetMac().equals(routerMac))) {
            return new LabException(head + ": the doctor is behind the router " + plan.gateway() + ", and netconsole sends to "
                    + (target.targetMac() == null ? "the broadcast MAC" : "MAC " + target.targetMac())
                    + (routerMac == null ? ", but the router's MAC is unknown on the board" : " while the router's MAC is "
                            + routerMac),
                    "set netconsole.gateway-mac to the router's MAC (" + NetconsolePlan.neighbourCommand(plan.gateway())
                            + " on the board)");
        }
        int port = target.effectiveTargetPort();
        boolean ipv6 = NetworkAddresses.isIpv6(target.targetIp());
        String doctor = ipv6 ? "[" + target.targetIp() + "]" : target.targetIp();
        return new LabException(head + ": the board sends, but nothing arrives at " + doctor + ":" + port,
                "the doctor's firewall probably drops UDP " + port + ": allow it with\n"
                        + (ipv6 ? "ip6tables" : "iptables") + " -A INPUT -p udp --dport " + port + " -j ACCEPT\n"
                        + "and check that " + target.targetIp() + " is this machine's address as the board reaches it "
                        + "(doctor.address)" + (ipv6 ? ", and that rig's receiver listens on IPv6 (doctor.listen)" : ""));
    }

    private String hintForKernelMessages() {
        String all = String.join(" ", kernelMessages);
        if (all.contains("not up yet")) {
            return "the interface was not up when netconsole started: bring the network up first";
        }
        if (all.contains("no IPv6 address")) {
            return "the interface had no IPv6 address of the doctor's kind when netconsole started (SLAAC and "
                    + "duplicate address detection take seconds after the link comes up), and none was named in "
                    + "the target: set netconsole.source-ip to the board's address, or let rig choose it (it waits "
                    + "for a usable address and names it); see ip -6 addr show dev " + plan.target().device()
                    + " on the board";
        }
        if (all.contains("no IP address")) {
            return "the interface had no address when netconsole started: give it one first, or set "
                    + "netconsole.source-ip";
        }
        if (all.contains("couldn't parse config at 'r")) {
            return "this kernel does not know the release prefix (r, new in Linux 6.6): set "
                    + "netconsole.release-prefix to false";
        }
        if (all.contains("doesn't exist")) {
            return "fix netconsole.interface in the board's file";
        }
        return "see the board's kernel log: dmesg | grep -E 'netconsole|netpoll'";
    }
}
