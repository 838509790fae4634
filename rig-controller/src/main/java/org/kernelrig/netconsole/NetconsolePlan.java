package org.kernelrig.netconsole;

import java.util.ArrayList;
import java.util.List;

import org.kernelrig.LabException;
import org.kernelrig.inventory.NetconsoleSettings;
import org.kernelrig.patient.PatientFacts;
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
                    "check doctor.address in the board's file, or set netconsole.interface");
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
                                + "(ip neigh show " + gateway + " on the board prints it)");
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
        NetconsoleTarget target;
        try {
            target = new NetconsoleTarget(settings.extended(), settings.releasePrefix(), settings.sourcePort(),
                    settings.sourceIp(), device, doctorPort, doctorAddress, mac);
        } catch (IllegalArgumentException e) {
            throw new LabException(who + ": cannot make a netconsole target: " + e.getMessage());
        }
        return new NetconsolePlan(board, target, method, gateway, warnings);
    }

    /** The command a person would type on the board for this target. */
    public String modprobeLine() {
        return "modprobe netconsole netconsole=" + target;
    }
}
