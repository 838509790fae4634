package org.kernelrig.patient;

import java.util.List;
import java.util.Optional;

import org.kernelrig.config.NetworkAddresses;

/**
 * What rig knows about a patient's running system before it touches it.
 *
 * @param consoleLogLevel the first field of {@code /proc/sys/kernel/printk}: messages below it reach consoles
 * @param route           the route to the doctor, or null when the board has none
 */
public record PatientFacts(String release, String version, String machine, int consoleLogLevel,
        List<NetInterface> interfaces, Route route, NetconsoleState netconsole) {

    public PatientFacts {
        interfaces = List.copyOf(interfaces);
    }

    public Optional<NetInterface> findInterface(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * A network interface.
     *
     * @param state     {@code up}, {@code down}, {@code unknown}, ... from sysfs operstate
     * @param addresses its IPv4 and IPv6 addresses, as {@code ip addr} lists them, usable or not
     */
    public record NetInterface(String name, String state, String mac, boolean wireless, List<Address> addresses) {

        public NetInterface {
            addresses = List.copyOf(addresses);
        }

        public boolean isUp() {
            return state.equals("up") || state.equals("unknown");
        }

        /** The addresses a packet can be sent from now (not tentative, not failed), without prefix length. */
        public List<String> usableAddresses() {
            return addresses.stream().filter(Address::usable).map(Address::address).toList();
        }
    }

    /**
     * An address of an interface.
     *
     * @param scope      {@code global}, {@code site}, {@code link}, {@code host}
     * @param tentative  still in duplicate address detection (IPv6): nothing can be sent from it yet
     * @param dadFailed  duplicate address detection found another machine with it: it will never be usable
     * @param deprecated its preferred lifetime is over: usable, but not for new traffic
     */
    public record Address(String address, String scope, boolean tentative, boolean dadFailed, boolean deprecated) {

        /** A usable address of global scope, as a board with a fixed address has. */
        public static Address of(String address) {
            return new Address(address, "global", false, false, false);
        }

        public boolean ipv6() {
            return address.contains(":");
        }

        public boolean usable() {
            return !tentative && !dadFailed;
        }

        /** An IPv6 link-local address (fe80::/10), which reaches only its own link. */
        public boolean linkLocal() {
            return ipv6() && (scope.equals("link") || NetworkAddresses.isIpv6LinkLocal(address));
        }

        /** How {@code ip addr} would describe it, for messages. */
        public String describe() {
            return address + " (scope " + scope + (dadFailed ? ", dadfailed" : tentative ? ", tentative" : "")
                    + (deprecated ? ", deprecated" : "") + ")";
        }
    }

    /**
     * The route the board takes to the doctor, from {@code ip route get} ({@code ip -6 route get} for an IPv6 doctor).
     *
     * @param gateway the router when the doctor is on another network, else null
     */
    public record Route(String device, String source, String gateway) {
    }

    /**
     * How netconsole stands on the board.
     *
     * @param loaded       the module is loaded (or netconsole is built in)
     * @param builtIn      netconsole is built into the kernel
     * @param available    it can be loaded: a module file exists, or it is built in
     * @param configfs     dynamic targets can be made under {@code /sys/kernel/config/netconsole}
     * @param targets      the dynamic targets that exist now
     */
    public record NetconsoleState(boolean loaded, boolean builtIn, boolean available, boolean configfs,
            List<String> targets) {

        public NetconsoleState {
            targets = List.copyOf(targets);
        }
    }
}
