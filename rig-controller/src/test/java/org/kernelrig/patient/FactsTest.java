package org.kernelrig.patient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.testing.RequiredTool;

class FactsTest {

    private static final String IPROUTE2 = String.join("\n",
            "@@rig:release@@", "6.1.0-26-amd64",
            "@@rig:version@@", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)",
            "@@rig:machine@@", "x86_64",
            "@@rig:printk@@", "4\t4\t1\t7",
            "@@rig:interfaces@@", "eth0 up 02:fc:00:00:00:01 wired", "lo unknown 00:00:00:00:00:00 wired",
            "wlan0 down 3c:22:fb:00:00:01 wireless",
            "@@rig:addresses@@",
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
            "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
            "    inet 127.0.0.1/8 scope host lo",
            "       valid_lft forever preferred_lft forever",
            "4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc pfifo_fast state UP group default qlen 1000",
            "    link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
            "    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0",
            "    inet6 fd00::2/64 scope global nodad ",
            "    inet6 fd00::9/64 scope global tentative ",
            "    inet6 fe80::fc:ff:fe00:1/64 scope link ",
            "@@rig:route@@", "10.0.2.2 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0 ", "    cache ",
            "@@rig:netconsole@@", "loaded", "available", "configfs", "target rig-bench", "target mine", "");

    @Test
    void parsesIproute2Output() {
        PatientFacts facts = FactsParser.parse(IPROUTE2);

        assertEquals("6.1.0-26-amd64", facts.release());
        assertTrue(facts.version().contains("Debian 6.1.112-1"));
        assertEquals(4, facts.consoleLogLevel());
        assertEquals(new PatientFacts.Route("eth0", "192.0.2.2", "192.0.2.1"), facts.route());
        PatientFacts.NetInterface eth0 = facts.findInterface("eth0").orElseThrow();
        assertEquals(List.of("192.0.2.2", "fd00::2", "fe80::fc:ff:fe00:1"), eth0.usableAddresses(), "tentative left out");
        assertTrue(eth0.isUp());
        assertTrue(facts.findInterface("wlan0").orElseThrow().wireless());
        assertTrue(facts.netconsole().loaded());
        assertTrue(facts.netconsole().configfs());
        assertEquals(List.of("rig-bench", "mine"), facts.netconsole().targets());
    }

    static List<String> output(String name) throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/ip-outputs", name + ".txt"));
    }

    static PatientFacts.Address address(List<PatientFacts.Address> addresses, String address) {
        return addresses.stream().filter(a -> a.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " not in " + addresses));
    }

    @Test
    void busyboxRightAfterBootShowsTheSlaacAddressTentative() throws IOException {
        List<PatientFacts.Address> eth0 = FactsParser.addresses(output("busybox-addr-slaac-tentative")).get("eth0");

        assertEquals(new PatientFacts.Address("fec0::5054:ff:fe12:3456", "site", true, false, false),
                address(eth0, "fec0::5054:ff:fe12:3456"));
        assertEquals(new PatientFacts.Address("fe80::5054:ff:fe12:3456", "link", false, false, false),
                address(eth0, "fe80::5054:ff:fe12:3456"));
        assertEquals(PatientFacts.Address.of("10.0.2.15"), address(eth0, "10.0.2.15"));
        // The kernel's own choice of source for the doctor is the link-local address while the other is tentative.
        assertEquals(new PatientFacts.Route("eth0", "fe80::5054:ff:fe12:3456", null),
                FactsParser.route(output("busybox-route-get-slaac-tentative")));
    }

    @Test
    void busyboxOnceSlaacIsDone() throws IOException {
        List<PatientFacts.Address> eth0 = FactsParser.addresses(output("busybox-addr-slaac")).get("eth0");

        assertTrue(address(eth0, "fec0::5054:ff:fe12:3456").usable());
        assertEquals("site", address(eth0, "fec0::5054:ff:fe12:3456").scope());
        assertEquals(new PatientFacts.Route("eth0", "fec0::5054:ff:fe12:3456", null),
                FactsParser.route(output("busybox-route-get-slaac")));
        assertEquals("52:56:00:00:00:02", FactsParser.neighbourMac(String.join("\n", output("busybox-neigh-slaac"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iproute2", "busybox"})
    void failedAndTentativeAddressesAreNotUsable(String ip) throws IOException {
        List<PatientFacts.Address> a0 = FactsParser.addresses(output(ip + "-addr-tentative")).get("a0");

        assertEquals(new PatientFacts.Address("2001:db8:1::7", "global", true, true, false), address(a0, "2001:db8:1::7"));
        assertEquals(new PatientFacts.Address("2001:db8:1::20", "global", true, false, false),
                address(a0, "2001:db8:1::20"));
        assertTrue(address(a0, "fe80::ff:fe00:a").linkLocal());
        PatientFacts.NetInterface iface = new PatientFacts.NetInterface("a0", "up", "02:00:00:00:00:0a", false, a0);
        assertEquals(List.of("2001:db8:1::8", "2001:db8:1::5", "2001:db8:1::2", "fec0::5054:ff:fe12:3456",
                "fe80::ff:fe00:a"), iface.usableAddresses());
        assertEquals(List.of("127.0.0.1", "::1"),
                FactsParser.addresses(output(ip + "-addr-dadfailed")).get("lo").stream()
                        .map(PatientFacts.Address::address).toList());
    }

    @Test
    void olderBusyboxGivesFlagsItHasNoWordForInHex() {
        List<PatientFacts.Address> eth0 = FactsParser.addresses(List.of(
                "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qlen 1000",
                "    inet6 2001:db8::5/64 scope global tentative flags 08 ",
                "    inet6 2001:db8::6/64 scope global flags 20 ")).get("eth0");

        assertTrue(address(eth0, "2001:db8::5").dadFailed());
        assertTrue(address(eth0, "2001:db8::6").deprecated());
        assertTrue(address(eth0, "2001:db8::6").usable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"iproute2", "busybox"})
    void aRoutedIpv6DoctorIsReachedThroughALinkLocalRouter(String ip) throws IOException {
        assertEquals(new PatientFacts.Route("a0", "2001:db8:1::8", "fe80::ff:fe00:d"),
                FactsParser.route(output(ip + "-route-get-routed")));
        assertNull(FactsParser.route(output(ip + "-route-get-unreachable")));
        assertEquals("02:00:00:00:00:0d", FactsParser.neighbourMac(String.join("\n", output(ip + "-neigh"))));
    }

    @Test
    void aDirectIpv6RouteHasNoGateway() throws IOException {
        assertEquals(new PatientFacts.Route("a0", "2001:db8:1::8", null),
                FactsParser.route(output("iproute2-route-get-direct")));
    }

    @Test
    void anIpv6DoctorIsRoutedWithIp6AndWaitedFor() {
        String script = FactsScript.script("fec0::2", null, Duration.ofSeconds(5));

        assertTrue(script.contains("ip -6 route get 'fec0::2'"), script);
        assertTrue(script.contains("[ \"$rig_i\" -ge 25 ] && break"), script);
        assertFalse(FactsScript.script("10.0.2.2", null, Duration.ofSeconds(5)).contains("rig_i"));
        assertTrue(FactsScript.script("fe80::2", "eth0", Duration.ofSeconds(5)).contains("rig_d='eth0'"));
    }

    /**
     * The wait for a usable IPv6 address on a real system (iproute2): the doctor ::1 is reached through lo,
     * whose only IPv6 address is of host scope, so the wait runs to its limit and then the facts are read.
     */
    @Test
    void theWaitForAnIpv6AddressEndsAtItsLimit(@TempDir Path dir) throws Exception {
        try (TestSshServer server = new TestSshServer(dir, null)) {
            server.trustHostKey();
            try (SshPatient patient = SshPatient.connect(server.target())) {
                long start = System.nanoTime();
                PatientFacts facts = FactsScript.collect(patient, "::1", null, Duration.ofSeconds(1));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0, "waited " + took);
                assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "waited " + took);
                assertEquals("lo", facts.route().device());
                assertEquals(List.of(new PatientFacts.Address("::1", "host", false, false, false)),
                        facts.findInterface("lo").orElseThrow().addresses().stream()
                                .filter(PatientFacts.Address::ipv6).toList());
            }
        }
    }

    /** The ping that fills the neighbour table, as iputils takes it for an IPv6 router named with its interface. */
    @Test
    void theNeighbourPingWorksWithIputils(@TempDir Path dir) throws Exception {
        RequiredTool.require("ping", "iputils-ping");
        try (TestSshServer server = new TestSshServer(dir, null)) {
            server.trustHostKey();
            try (SshPatient patient = SshPatient.connect(server.target())) {
                CommandResult ping = patient.run(FactsScript.neighbourPing("::1", "lo"), Duration.ofSeconds(10));

                assertTrue(ping.ok(), ping.stdout() + ping.stderr());
                assertTrue(ping.stdout().contains("1 received"), ping.stdout());
                assertNull(FactsScript.gatewayMac(patient, "::1", "lo"), "lo has no neighbours");
            }
        }
    }

    @Test
    void aDirectRouteHasNoGateway() {
        assertNull(FactsParser.route(List.of("10.0.2.2 dev eth0 src 10.0.2.15")).gateway());
        assertNull(FactsParser.route(List.of("RTNETLINK answers: Network is unreachable")));
    }

    @Test
    void neighbourMac() {
        assertEquals("02:fc:00:00:00:05", FactsParser.neighbourMac("192.0.2.1 dev eth0 lladdr 02:FC:00:00:00:05 STALE"));
        assertNull(FactsParser.neighbourMac("192.0.2.1 dev eth0 FAILED"));
        assertNull(FactsParser.neighbourMac(""));
    }

    @Test
    void garbageIsSkipped() {
        PatientFacts facts = FactsParser.parse("@@rig:printk@@\nnot a number\n@@rig:interfaces@@\nonly-one-field\n\u0000\u00ff");

        assertEquals(-1, facts.consoleLogLevel());
        assertTrue(facts.interfaces().isEmpty());
        assertNull(facts.release());
    }

    @Test
    void theScriptReadsARealLinuxSystem(@TempDir Path dir) throws Exception {
        try (TestSshServer server = new TestSshServer(dir, null)) {
            server.trustHostKey();
            try (SshPatient patient = SshPatient.connect(server.target())) {
                PatientFacts facts = FactsScript.collect(patient, "127.0.0.1");

                assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), facts.release());
                assertEquals(Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/printk")).trim().split("\\s+")[0]),
                        facts.consoleLogLevel());
                List<String> names;
                try (Stream<Path> list = Files.list(Path.of("/sys/class/net"))) {
                    names = list.map(p -> p.getFileName().toString()).sorted().toList();
                }
                assertEquals(names, facts.interfaces().stream().map(PatientFacts.NetInterface::name).sorted().toList());
                assertEquals("lo", facts.route().device());
                assertTrue(facts.findInterface("lo").orElseThrow().usableAddresses().contains("127.0.0.1"));
                assertFalse(facts.findInterface("lo").orElseThrow().wireless());
            }
        }
    }
}
