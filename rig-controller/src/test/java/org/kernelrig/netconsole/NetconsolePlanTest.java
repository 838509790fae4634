package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelrig.LabException;
import org.kernelrig.inventory.NetconsoleSettings;
import org.kernelrig.patient.FactsParser;
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

    // ----- IPv6 -----

    /** Facts as the facts script reads them from a board whose {@code ip} printed these saved outputs. */
    static PatientFacts factsFromOutputs(String interfaces, String addresses, String route) throws IOException {
        Path dir = Path.of("src/test/resources/ip-outputs");
        return FactsParser.parse(String.join("\n", "@@rig:release@@", "6.1.0-56-amd64", "@@rig:printk@@", "4 4 1 7",
                "@@rig:interfaces@@", interfaces, "@@rig:addresses@@", Files.readString(dir.resolve(addresses + ".txt")),
                "@@rig:route@@", Files.readString(dir.resolve(route + ".txt")), "@@rig:netconsole@@", "available"));
    }

    @Test
    void anIpv6DoctorGetsTheSourceAddressNamedInTheTarget() throws Exception {
        PatientFacts facts = factsFromOutputs("eth0 up 52:54:00:12:34:56 wired", "busybox-addr-slaac",
                "busybox-route-get-slaac");

        NetconsolePlan plan = NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "fec0::2", 6700, null);

        assertEquals("+@fec0::5054:ff:fe12:3456/eth0,6700@fec0::2/", plan.target().toString());
        assertNull(plan.gateway());
        assertEquals(Optional.of("fec0::5054:ff:fe12:3456"),
                NetconsolePlan.ipv6SourceOf(NetconsoleSettings.defaults(), facts, "fec0::2"));
        assertEquals(Optional.empty(), NetconsolePlan.ipv6SourceOf(NetconsoleSettings.defaults(), facts, "10.0.2.2"));
    }

    @Test
    void theInventorysSourceAddressWins() throws Exception {
        PatientFacts facts = factsFromOutputs("eth0 up 52:54:00:12:34:56 wired", "busybox-addr-slaac",
                "busybox-route-get-slaac");
        NetconsoleSettings settings = new NetconsoleSettings(null, null, "fec0::99", null, true, false, "auto");

        assertEquals("fec0::99", NetconsolePlan.of("b", settings, facts, "fec0::2", 6666, null).target().sourceIp());
    }

    @Test
    void aTentativeAddressIsNeverNamedAndTheErrorSaysWhatThereIs() throws Exception {
        PatientFacts facts = factsFromOutputs("eth0 up 52:54:00:12:34:56 wired", "busybox-addr-slaac-tentative",
                "busybox-route-get-slaac-tentative");

        LabException e = assertThrows(LabException.class,
                () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "fec0::2", 6666, null));

        assertEquals("board b: interface eth0 has no usable IPv6 address of any scope but link to send to the doctor "
                + "fec0::2 from, after waiting for one: it has fec0::5054:ff:fe12:3456 (scope site, tentative), "
                + "fe80::5054:ff:fe12:3456 (scope link)", e.getMessage());
        assertTrue(e.hint().contains("netpoll: no IPv6 address for eth0, aborting"), e.hint());
        assertTrue(e.hint().contains("SLAAC"), e.hint());
    }

    @Test
    void aFailedDuplicateAddressDetectionIsNamed() throws Exception {
        PatientFacts facts = FactsParser.parse(String.join("\n", "@@rig:release@@", "6.1.0-56-amd64",
                "@@rig:interfaces@@", "a0 up 02:00:00:00:00:0a wired", "@@rig:addresses@@",
                "2: a0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000",
                "    inet6 2001:db8:1::7/64 scope global dadfailed tentative ",
                "    inet6 fe80::ff:fe00:a/64 scope link ",
                "@@rig:netconsole@@", "available"));
        NetconsoleSettings settings = new NetconsoleSettings("a0", null, null, null, true, false, "auto");

        LabException e = assertThrows(LabException.class,
                () -> NetconsolePlan.of("b", settings, facts, "2001:db8:1::1", 6666, null));

        assertTrue(e.getMessage().contains("2001:db8:1::7 (scope global, dadfailed)"), e.getMessage());
        assertTrue(e.hint().contains("another machine on the network has 2001:db8:1::7"), e.hint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"iproute2", "busybox"})
    void aRoutedIpv6DoctorNeedsTheLinkLocalRoutersMac(String ip) throws Exception {
        PatientFacts facts = factsFromOutputs("a0 up 02:00:00:00:00:0a wired", ip + "-addr-tentative",
                ip + "-route-get-routed");

        NetconsolePlan plan = NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "2001:db8:9::1", 6666,
                "02:00:00:00:00:0d");
        LabException unknown = assertThrows(LabException.class,
                () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "2001:db8:9::1", 6666, null));

        assertEquals("+@2001:db8:1::8/a0,6666@2001:db8:9::1/02:00:00:00:00:0d", plan.target().toString(),
                "the route's own source, neither the tentative nor the failed address");
        assertEquals("fe80::ff:fe00:d", plan.gateway());
        assertTrue(unknown.hint().contains("ip -6 neigh show fe80::ff:fe00:d"), unknown.hint());
    }

    @Test
    void aLinkLocalDoctorIsSentToFromALinkLocalAddress() throws Exception {
        PatientFacts facts = factsFromOutputs("eth0 up 52:54:00:12:34:56 wired", "busybox-addr-slaac",
                "busybox-route-get-slaac");
        NetconsoleSettings settings = new NetconsoleSettings("eth0", null, null, null, true, false, "auto");

        NetconsolePlan plan = NetconsolePlan.of("b", settings, facts, "fe80::2", 6666, null);

        assertEquals("fe80::5054:ff:fe12:3456", plan.target().sourceIp());
    }

    @Test
    void noIpv6RouteSaysWhereRoutesComeFrom() throws Exception {
        PatientFacts facts = factsFromOutputs("eth0 up 52:54:00:12:34:56 wired", "busybox-addr-slaac-tentative",
                "busybox-route-get-unreachable");

        LabException e = assertThrows(LabException.class,
                () -> NetconsolePlan.of("b", NetconsoleSettings.defaults(), facts, "2001:db8::1", 6666, null));

        assertEquals("board b has no route to the doctor 2001:db8::1", e.getMessage());
        assertTrue(e.hint().contains("router's advertisements: see ip -6 route on the board"), e.hint());
    }

    @Test
    void theKernelsNoIpv6AddressHasItsOwnFix() {
        LabException e = diagnosis(plan(null, null), 8, "up", false, false, null,
                List.of("netpoll: rig: no IPv6 address for eth0, aborting"), null).explain();

        assertTrue(e.getMessage().contains("netconsole is not running on the board; the kernel said: "
                + "netpoll: rig: no IPv6 address for eth0, aborting"), e.getMessage());
        assertTrue(e.hint().contains("no IPv6 address of the doctor's kind when netconsole started"), e.hint());
        assertTrue(e.hint().contains("set netconsole.source-ip"), e.hint());
        assertTrue(e.hint().contains("ip -6 addr show dev eth0"), e.hint());
    }

    @Test
    void aKernelOlderThanTheReleasePrefixIsNamed() {
        // As Debian 12's 6.1 says when the module parameter asks for the release prefix.
        LabException e = diagnosis(plan(null, null), 8, "up", false, false, null,
                List.of("netpoll: netconsole: couldn't parse config at 'r6665'!", "netconsole: cleaning up"), null)
                .explain();

        assertTrue(e.hint().contains("set netconsole.release-prefix to false"), e.hint());
    }

    @Test
    void anIpv6DoctorsFirewallIsIp6tables() {
        NetconsolePlan plan = new NetconsolePlan("b", new NetconsoleTarget(true, false, null, "fec0::5054:ff:fe12:3456",
                "eth0", 6701, "fec0::2", null), "auto", null, List.of());

        LabException e = diagnosis(plan, 8, "up", false, true, true, List.of(), null).explain();

        assertTrue(e.getMessage().contains("nothing arrives at [fec0::2]:6701"), e.getMessage());
        assertTrue(e.hint().contains("ip6tables -A INPUT -p udp --dport 6701 -j ACCEPT"), e.hint());
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
