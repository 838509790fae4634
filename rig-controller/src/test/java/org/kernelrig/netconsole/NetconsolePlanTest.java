package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kernelrig.LabException;
import org.kernelrig.inventory.NetconsoleSettings;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.PatientFacts.Address;
import org.kernelrig.patient.PatientFacts.NetInterface;
import org.kernelrig.patient.PatientFacts.NetconsoleState;
import org.kernelrig.patient.PatientFacts.Route;

class NetconsolePlanTest {

    static final NetconsoleState LOADABLE = new NetconsoleState(false, false, true, false, List.of());

    static PatientFacts facts(Route route, NetconsoleState state, NetInterface... interfaces) {
        return new PatientFacts("6.1.0-26-amd64", "#1 SMP Debian", "x86_64", 4, List.of(interfaces), route, state);
    }

    static NetInterface eth0(String state) {
        return new NetInterface("eth0", state, "52:54:00:12:34:56", false, List.of(Address.of("10.0.2.15")));
    }

    @Test
    void aDoctorOnTheSameNetwork() throws LabException {
        NetconsolePlan plan = NetconsolePlan.of("b", NetconsoleSettings.defaults(),
                facts(new Route("eth0", "10.0.2.15", null), LOADABLE, eth0("up")), "10.0.2.2", 6666, null);

        assertEquals("+@/eth0,6666@10.0.2.2/", plan.target().toString());
        assertEquals("modprobe netconsole netconsole=+@/eth0,6666@10.0.2.2/", plan.modprobeLine());
        assertNull(plan.gateway());
        assertTrue(plan.warnings().isEmpty());
    }

    @Test
    void aRoutedDoctorNeedsTheRoutersMac() throws LabException {
        PatientFacts facts = facts(new Route("eth0", "192.0.2.2", "192.0.2.1"), LOADABLE, eth0("up"));

        NetconsolePlan plan = NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "10.9.9.9", 6666,
                "02:fc:00:00:00:05");
        LabException unknown = assertThrows(LabException.class,
                () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "10.9.9.9", 6666, null));

        assertEquals("02:fc:00:00:00:05", plan.target().targetMac());
        assertEquals("192.0.2.1", plan.gateway());
        assertTrue(unknown.getMessage().contains("through the router 192.0.2.1"), unknown.getMessage());
        assertTrue(unknown.hint().contains("ip neigh show 192.0.2.1"), unknown.hint());
    }

    @Test
    void theInventorysMacWins() throws LabException {
        NetconsoleSettings settings = new NetconsoleSettings(null, 7000, null, "aa:bb:cc:dd:ee:ff", false, false, "auto");

        NetconsolePlan plan = NetconsolePlan.of("b", settings,
                facts(new Route("eth0", "192.0.2.2", "192.0.2.1"), LOADABLE, eth0("up")), "10.9.9.9", 6666,
                "02:fc:00:00:00:05");

        assertEquals("7000@/eth0,6666@10.9.9.9/aa:bb:cc:dd:ee:ff", plan.target().toString());
    }

    @Test
    void wirelessIsRefused() {
        NetInterface wlan = new NetInterface("wlan0", "up", "3c:22:fb:00:00:01", true,
                List.of(Address.of("192.168.1.7")));

        LabException e = assertThrows(LabException.class, () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(),
                facts(new Route("wlan0", "192.168.1.7", null), LOADABLE, wlan), "192.168.1.10", 6666, null));

        assertTrue(e.getMessage().contains("wlan0 is wireless; netconsole works over Ethernet only"), e.getMessage());
    }

    @Test
    void aDownInterfaceIsRefused() {
        LabException e = assertThrows(LabException.class, () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(),
                facts(new Route("eth0", null, null), LOADABLE, eth0("down")), "10.0.2.2", 6666, null));

        assertTrue(e.hint().contains("ip link set eth0 up"), e.hint());
    }

    @Test
    void aKernelWithoutNetconsole() {
        NetconsoleState none = new NetconsoleState(false, false, false, false, List.of());

        LabException e = assertThrows(LabException.class, () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(),
                facts(new Route("eth0", null, null), none, eth0("up")), "10.0.2.2", 6666, null));

        assertTrue(e.hint().contains("CONFIG_NETCONSOLE=m"), e.hint());
    }

    @Test
    void anUnknownInterfaceNamesTheOnesThereAre() {
        NetconsoleSettings settings = new NetconsoleSettings("eth9", null, null, null, true, false, "auto");

        LabException e = assertThrows(LabException.class, () -> NetconsolePlan.of("b", settings,
                facts(new Route("eth0", null, null), LOADABLE, eth0("up")), "10.0.2.2", 6666, null));

        assertTrue(e.getMessage().contains("no network interface eth9"), e.getMessage());
        assertTrue(e.hint().contains("it has: eth0"), e.hint());
    }

    @Test
    void theBoardsOwnTargetsAreLeftAloneAndReported() throws LabException {
        NetconsoleState mine = new NetconsoleState(true, false, true, true, List.of("mine", "rig"));

        NetconsolePlan plan = NetconsolePlan.of("b", NetconsoleSettings.defaults(),
                facts(new Route("eth0", null, null), mine, eth0("up")), "10.0.2.2", 6666, null);
        LabException moduleMethod = assertThrows(LabException.class, () -> NetconsolePlan.of("b",
                new NetconsoleSettings(null, null, null, null, true, false, "module"),
                facts(new Route("eth0", null, null), mine, eth0("up")), "10.0.2.2", 6666, null));

        assertEquals(1, plan.warnings().size());
        assertTrue(plan.warnings().get(0).contains("'mine'"), plan.warnings().get(0));
        assertTrue(moduleMethod.getMessage().contains("will not unload it"), moduleMethod.getMessage());
    }

    // ----- diagnosis order -----

    static NetconsolePlan plan(String gateway, String mac) {
        return new NetconsolePlan("b", new NetconsoleTarget(true, false, null, null, "eth0", 6666, "10.0.2.2", mac), "auto",
                gateway, List.of());
    }

    static NetconsoleDiagnosis diagnosis(NetconsolePlan plan, int level, String state, boolean wireless, boolean running,
            Boolean enabled, List<String> kernel, String routerMac) {
        return new NetconsoleDiagnosis("b", plan, Duration.ofSeconds(5), level, 4, state, wireless, running, enabled, kernel,
                routerMac);
    }

    @Test
    void notRunningComesFirstWithTheKernelsReason() {
        LabException e = diagnosis(plan(null, null), 4, "down", true, true, false,
                List.of("netpoll: netconsole: no IP address for eth0, aborting"), null).explain();

        assertTrue(e.getMessage().contains("netconsole is not running"), e.getMessage());
        assertTrue(e.getMessage().contains("no IP address for eth0, aborting"), e.getMessage());
        assertTrue(e.hint().contains("had no address"), e.hint());
        assertTrue(diagnosis(plan(null, null), 8, "up", false, true, null,
                List.of("netpoll: netconsole: device eth0 not up yet, forcing it"), null).explain().getMessage()
                .contains("the board sends"), "a running target is not blamed on old messages");
    }

    @Test
    void thenTheLogLevel() {
        LabException e = diagnosis(plan(null, null), 4, "down", true, true, true, List.of(), null).explain();

        assertTrue(e.getMessage().contains("console log level is 4 (needs >= 5"), e.getMessage());
    }

    @Test
    void thenTheInterface() {
        assertTrue(diagnosis(plan(null, null), 8, "up", true, true, true, List.of(), null).explain().getMessage()
                .contains("wireless"));
        assertTrue(diagnosis(plan(null, null), 8, "down", false, true, true, List.of(), null).explain().getMessage()
                .contains("interface eth0 is down"));
    }

    @Test
    void thenTheRoutersMac() {
        LabException wrong = diagnosis(plan("192.0.2.1", "aa:bb:cc:dd:ee:ff"), 8, "up", false, true, true, List.of(),
                "02:fc:00:00:00:05").explain();
        LabException right = diagnosis(plan("192.0.2.1", "02:fc:00:00:00:05"), 8, "up", false, true, true, List.of(),
                "02:fc:00:00:00:05").explain();

        assertTrue(wrong.getMessage().contains("while the router's MAC is 02:fc:00:00:00:05"), wrong.getMessage());
        assertTrue(right.getMessage().contains("nothing arrives"), right.getMessage());
    }

    @Test
    void otherwiseTheFirewall() {
        LabException e = diagnosis(plan(null, null), 8, "up", false, true, true, List.of(), null).explain();

        assertTrue(e.hint().contains("iptables -A INPUT -p udp --dport 6666 -j ACCEPT"), e.hint());
    }
}
