package org.kernelrig.netconsole;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.config.NetworkAddresses;
import org.kernelrig.inventory.NetconsoleSettings;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.PatientFacts.Address;
import org.kernelrig.patient.PatientFacts.NetInterface;

/**
 * What rig will set up on a patient: the target, how (configfs or module
 * parameter), and what it noticed on the way. Decided from the board's
 * settings and facts alone, without touching the board.
 *
 * @param method   {@code auto}, {@code configfs} or {@code module}
 * @param gateway  the router between the patient and the doctor, or null when they share a network
 * @param warnings things worth telling the user that do not stop the set-up
 */
public record NetconsolePlan(String board, NetconsoleTarget target, String method, String gateway,
        List<String> warnings) {

    public NetconsolePlan {
        warnings = List.copyOf(warnings);
    }

    /**
     * Plans the set-up, or says why netconsole cannot work on this board.
     *
     * @param gatewayMac the router's MAC as found on the board when the route has one, or null
     */
    public static NetconsolePlan of(String board, NetconsoleSettings settings, PatientFacts facts,
            String doctorAddress, int doctorPort, String gatewayMac) throws LabException {
        String who = "board " + board;
        PatientFacts.NetconsoleState state = facts.netconsole();
        if (!state.loaded() && !state.available()) {
            throw new LabException(who + ": its kernel " + facts.release() + " has no netconsole (no module, not built in)",
                    "build the kernel with CONFIG_NETCONSOLE=m and CONFIG_NETCONSOLE_DYNAMIC=y");
        }
        PatientFacts.Route route = facts.route();
        String device = settings.interfaceName() != null ? settings.interfaceName()
                : route == null ? null : route.device();
        if (device == null) {
            throw new LabException(who + " has no route to the doctor " + doctorAddress,
                    "check doctor.address in the board's file, or set netconsole.interface"
                            + (NetworkAddresses.isIpv6(doctorAddress) ? "; an IPv6 route usually comes with the "
                                    + "router's advertisements: see ip -6 route on the board" : ""));
        }
        NetInterface iface = facts.findInterface(device).orElseThrow(() -> new LabException(
                who + " has no network interface " + device, "it has: " + String.join(", ",
                        facts.interfaces().stream().map(NetInterface::name).toList())
                        + "; fix netconsole.interface in the board's file"));
        if (iface.wireless()) {
            throw new LabException(who + ": interface " + device + " is wireless; netconsole works over Ethernet only",
                    "wire the board by Ethernet and set netconsole.interface to that interface");
        }
        if (!iface.isUp()) {
            throw new LabException(who + ": interface " + device + " is " + iface.state()
                    + "; netconsole needs it up with an address", "bring it up on the board: ip link set " + device + " up");
        }
        List<String> warnings = new ArrayList<>();
        if (route != null && !route.device().equals(device)) {
            warnings.add("the route to the doctor leaves through " + route.device() + ", but netconsole sends from "
                    + device + ": the doctor must be reachable on " + device + "'s network");
        }
        String gateway = route != null && route.device().equals(device) ? route.gateway() : null;
        String mac = settings.gatewayMac();
        if (gateway != null && mac == null) {
            mac = gatewayMac;
            if (mac == null) {
                throw new LabException(who + " reaches the doctor " + doctorAddress + " through the router " + gateway
                        + ", whose MAC address is not known", "set netconsole.gateway-mac in the board's file "
                                + "(" + neighbourCommand(gateway) + " on the board prints it)");
            }
        }
        for (String existing : state.targets()) {
            if (!existing.equals(NetconsoleSetup.TARGET_NAME)) {
                warnings.add("the board already has a netconsole target '" + existing
                        + "'; rig leaves it alone and adds its own beside it");
            }
        }
        String method = settings.method();
        if (method.equals("module") && state.loaded()) {
            throw new LabException(who + ": netconsole is already loaded and rig will not unload it "
                    + "(it may carry the board's own targets)", "set netconsole.method to auto or configfs, or unload it "
                            + "on the board: modprobe -r netconsole");
        }
        String sourceIp = settings.sourceIp();
        if (sourceIp == null && NetworkAddresses.isIpv6(doctorAddress)) {
            sourceIp = ipv6Source(who, iface, route, doctorAddress);
        }
        NetconsoleTarget target;
        try {
            target = new NetconsoleTarget(settings.extended(), settings.releasePrefix(), settings.sourcePort(),
                    sourceIp, device, doctorPort, doctorAddress, mac);
        } catch (IllegalArgumentException e) {
            throw new LabException(who + ": cannot make a netconsole target: " + e.getMessage());
        }
        return new NetconsolePlan(board, target, method, gateway, warnings);
    }

    /**
     * The address netconsole sends to an IPv6 doctor from, given explicitly in the target: left to itself,
     * netpoll takes the interface's first address of the doctor's kind (link-local or not), tentative or
     * not, and aborts ({@code no IPv6 address for eth0, aborting}) when it has none yet. The address the
     * board's own route to the doctor chose comes first; it is the one the doctor sees elsewhere too.
     */
    static String ipv6Source(String who, NetInterface iface, PatientFacts.Route route, String doctor)
            throws LabException {
        Optional<String> chosen = usableIpv6Source(iface, route, doctor);
        if (chosen.isPresent()) {
            return chosen.get();
        }
        boolean linkLocal = NetworkAddresses.isIpv6LinkLocal(doctor);
        List<Address> ipv6 = iface.addresses().stream().filter(Address::ipv6).toList();
        String has = ipv6.isEmpty() ? "it has no IPv6 address"
                : "it has " + String.join(", ", ipv6.stream().map(Address::describe).toList());
        String kind = linkLocal ? "link-local IPv6 address" : "IPv6 address of any scope but link";
        Optional<Address> failed = ipv6.stream().filter(Address::dadFailed).findFirst();
        String hint = failed.isPresent()
                ? "another machine on the network has " + failed.get().address() + " (duplicate address detection "
                        + "failed): give the board another address, or set netconsole.source-ip"
                : "netconsole aborts without one (netpoll: no IPv6 address for " + iface.name() + ", aborting); "
                        + "check that the network's router advertises a prefix (SLAAC), or give " + iface.name()
                        + " an address on the board (ip -6 addr add ... dev " + iface.name()
                        + "), or set netconsole.source-ip";
        throw new LabException(who + ": interface " + iface.name() + " has no usable " + kind + " to send to the "
                + "doctor " + doctor + " from, after waiting for one: " + has, hint);
    }

    /**
     * The IPv6 address the plan names as netconsole's source for this board, when the doctor is IPv6 and the
     * board's settings name none: the address the doctor will see the board's datagrams come from.
     */
    public static Optional<String> ipv6SourceOf(NetconsoleSettings settings, PatientFacts facts, String doctor) {
        if (settings.sourceIp() != null || doctor == null || !NetworkAddresses.isIpv6(doctor)) {
            return Optional.empty();
        }
        PatientFacts.Route route = facts.route();
        String device = settings.interfaceName() != null ? settings.interfaceName()
                : route == null ? null : route.device();
        return device == null ? Optional.empty()
                : facts.findInterface(device).flatMap(iface -> usableIpv6Source(iface, route, doctor));
    }

    private static Optional<String> usableIpv6Source(NetInterface iface, PatientFacts.Route route, String doctor) {
        boolean linkLocal = NetworkAddresses.isIpv6LinkLocal(doctor);
        List<Address> candidates = iface.addresses().stream()
                .filter(a -> a.ipv6() && a.usable() && a.linkLocal() == linkLocal && !a.scope().equals("host"))
                .toList();
        if (route != null && route.source() != null && route.device().equals(iface.name())) {
            for (Address a : candidates) {
                if (a.address().equalsIgnoreCase(route.source())) {
                    return Optional.of(a.address());
                }
            }
        }
        return candidates.stream().filter(a -> !a.deprecated()).findFirst()
                .or(() -> candidates.stream().findFirst()).map(Address::address);
    }

    /** The command that shows the board's neighbour entry for an address of either family. */
    static String neighbourCommand(String address) {
        return (NetworkAddresses.isIpv6(address) ? "ip -6 neigh show " : "ip neigh show ") + address;
    }

    /** The command a person would type on the board for this target. */
    public String modprobeLine() {
        return "modprobe netconsole netconsole=" + target;
    }
}
