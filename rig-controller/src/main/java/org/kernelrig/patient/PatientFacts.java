package org.kernelrig.patient;

import java.util.List;
import java.util.Optional;

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
     * @param addresses IPv4 and IPv6 addresses without prefix length
     */
    public record NetInterface(String name, String state, String mac, boolean wireless, List<String> addresses) {

        public NetInterface {
            addresses = List.copyOf(addresses);
        }

        public boolean isUp() {
            return state.equals("up") || state.equals("unknown");
        }
    }

    /**
     * The route the board takes to the doctor, from {@code ip route get}.
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
