package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetconsoleTargetTest {

    @Test
    void theDocumentationsExample() {
        NetconsoleTarget t = NetconsoleTarget.parse("4444@10.0.0.1/eth1,9353@10.0.0.2/12:34:56:78:9a:bc");

        assertEquals(new NetconsoleTarget(false, false, 4444, "10.0.0.1", "eth1", 9353, "10.0.0.2", "12:34:56:78:9a:bc"), t);
    }

    @Test
    void emptyFieldsTakeTheKernelsDefaults() {
        NetconsoleTarget t = NetconsoleTarget.parse("@/eth0,6666@10.0.2.2/");

        assertNull(t.sourcePort());
        assertNull(t.sourceIp());
        assertEquals("eth0", t.device());
        assertEquals(6666, t.effectiveTargetPort());
        assertNull(t.targetMac());
        assertEquals(6666, NetconsoleTarget.parse("@/,@10.0.2.2/").effectiveTargetPort());
    }

    @Test
    void flags() {
        NetconsoleTarget t = NetconsoleTarget.parse("+r6665@/eth0,@192.168.1.10/");

        assertTrue(t.extended());
        assertTrue(t.release());
        assertEquals(6665, t.sourcePort());
        assertFalse(NetconsoleTarget.parse("@/eth0,@1.2.3.4/").extended());
    }

    @Test
    void ipv6() {
        NetconsoleTarget t = NetconsoleTarget.parse("6665@fec0::5054:ff:fe12:3456/eth0,6666@fec0::2/");

        assertEquals("fec0::5054:ff:fe12:3456", t.sourceIp());
        assertEquals("fec0::2", t.targetIp());
        assertNull(t.targetMac());
        assertEquals("52:54:00:12:34:56",
                NetconsoleTarget.parse("@/eth0,@2001:db8::1/52:54:00:12:34:56").targetMac());
    }

    @Test
    void ipv6WithEveryField() {
        NetconsoleTarget t = NetconsoleTarget.parse("+r4444@2001:db8:1::8/enp1s0,9353@2001:db8:9::1/02:00:00:00:00:0D");

        assertEquals(new NetconsoleTarget(true, true, 4444, "2001:db8:1::8", "enp1s0", 9353, "2001:db8:9::1",
                "02:00:00:00:00:0d"), t);
    }

    @Test
    void ipv6TargetWithoutASourceIsLeftToTheKernel() {
        NetconsoleTarget t = NetconsoleTarget.parse("@/eth0,6666@fec0::2/");

        assertNull(t.sourceIp());
        assertEquals("fec0::2", t.targetIp());
        assertEquals("@/eth0,6666@fec0::2/", t.toString());
    }

    @Test
    void targetsOfBothFamiliesSideBySide() {
        List<NetconsoleTarget> targets = NetconsoleTarget.parseAll("@/eth0,@10.0.2.2/;@fec0::5054:ff:fe12:3456/eth0,@fec0::2/");

        assertEquals(List.of("10.0.2.2", "fec0::2"), targets.stream().map(NetconsoleTarget::targetIp).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"@/eth0,6666@10.0.2.2/", "+@/eth0,@10.0.2.2/", "+r6665@10.0.2.15/eth0,6666@10.0.2.2/aa:bb:cc:dd:ee:ff",
        "@/,@::1/", "6665@fec0::5054:ff:fe12:3456/eth0,6666@fec0::2/", "+r@fe80::5054:ff:fe12:3456/eth0,@fe80::2/52:56:00:00:00:02",
        "@2001:db8:1::8/,@2001:db8:9::1/", "@::ffff:10.0.2.15/eth0,@::ffff:10.0.2.2/"})
    void printsWhatItParses(String text) {
        assertEquals(text, NetconsoleTarget.parse(text).toString());
        assertEquals(NetconsoleTarget.parse(text), NetconsoleTarget.parse(NetconsoleTarget.parse(text).toString()));
    }

    @Test
    void severalTargets() {
        List<NetconsoleTarget> targets = NetconsoleTarget.parseAll("@/eth0,@10.0.0.1/;+@/eth1,5555@10.0.0.2/");

        assertEquals(2, targets.size());
        assertEquals(5555, targets.get(1).targetPort());
        assertTrue(targets.get(1).extended());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "r@/eth0,@10.0.0.1/|the release prefix (r) works only with the extended format (+)",
        "@/eth0,@10.0.0.1|must be followed by '/'",
        "@/eth0,6666@/|the target address is required",
        "@/eth0|no ',' between the source and the target",
        "@/eth0,@10.0.0.300/|the target address must be an IP address",
        "@10.0.0.5/eth0,@fec0::2/|must both be IPv4 or both IPv6",
        "@fec0::5054:ff:fe12:3456/eth0,@10.0.2.2/|must both be IPv4 or both IPv6",
        "@::ffff:10.0.2.15/eth0,@10.0.2.2/|must both be IPv4 or both IPv6",
        "@/eth0,@fe80::2%eth0/|the target address must be an IP address, got fe80::2%eth0 (it has a zone index",
        "@fe80::1%eth0/eth0,@fe80::2/|the source address must be an IP address",
        "@/eth0,@fec0::2::1/|got fec0::2::1 ('::' may stand only once)",
        "@/eth0,@[fec0::2]/|the target address must be an IP address",
        "@/eth0,@fec0::2|must be followed by '/'",
        "70000@/eth0,@10.0.0.1/|the source port must be 1..65535",
        "@/eth0,x@10.0.0.1/|the target port must be a number",
        "@/eth0;reboot,@10.0.0.1/|not a network interface name",
        "@/eth0,@10.0.0.1/00:11:22|not a MAC address"})
    void rejectsWhatTheKernelRejects(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetconsoleTarget.parse(text));

        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
