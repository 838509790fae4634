package org.kernelrig.patient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
