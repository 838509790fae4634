package org.kernelrig.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The value syntaxes of configuration files: durations, sizes, addresses, typo suggestions. */
class ValuesTest {

    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "5m,300000", "1h30m,5400000", "1m30s250ms,90250", "0s,0"})
    void durations(String text, long millis) {
        assertEquals(Optional.of(Duration.ofMillis(millis)), Durations.parse(text));
        assertEquals(Optional.of(Duration.ofMillis(millis)), Durations.parse(Durations.format(Duration.ofMillis(millis))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5 s", "s", "1.5s", "-3s", "5sec", "", "1d"})
    void notDurations(String text) {
        assertEquals(Optional.empty(), Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"512,512", "64M,67108864", "8G,8589934592", "512K,524288", "64MiB,67108864", "1t,1099511627776"})
    void sizes(String text, long bytes) {
        assertEquals(OptionalLong.of(bytes), Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.2.2", "0.0.0.0", "255.255.255.255", "192.168.1.50"})
    void ipv4(String text) {
        assertTrue(NetworkAddresses.isIpv4(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "a.b.c.d"})
    void notIpv4(String text) {
        assertFalse(NetworkAddresses.isIpv4(text));
        assertFalse(NetworkAddresses.isHost(text) && text.matches("[\\d.]+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "::", "fec0::2", "fe80::5054:ff:fe12:3456", "2001:db8:0:0:0:0:0:1", "::ffff:10.0.2.2"})
    void ipv6(String text) {
        assertTrue(NetworkAddresses.isIpv6(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", ":1:2", "fec0::g", "1:2:3:4:5:6:7"})
    void notIpv6(String text) {
        assertFalse(NetworkAddresses.isIpv6(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1::2::3|'::' may stand only once",
        "12345::1|the group '12345' has more than 4 hex digits",
        "1:2:3:4:5:6:7:8:9|it has 9 groups of hex digits; an IPv6 address has 8, or fewer with '::'",
        "1:2:3:4:5:6:7|it has 7 groups",
        "1:2:3:4:5:6:7:8::|it has 8 groups",
        ":1:2::|it starts with a single ':'",
        "1:2::3:|it ends with a single ':'",
        "fec0::g|'g' is not a hex digit",
        "::ffff:10.0.2.300|its IPv4 part '10.0.2.300' is not four numbers 0..255",
        "fe80::1%eth0|it has a zone index ('%eth0')"})
    void saysWhatIsWrongWithAnIpv6Address(String text, String problem) {
        assertTrue(NetworkAddresses.ipv6Problem(text).contains(problem), NetworkAddresses.ipv6Problem(text));
        assertFalse(NetworkAddresses.isIpv6(text));
        assertTrue(NetworkAddresses.checkIp(text).contains(problem), NetworkAddresses.checkIp(text));
    }

    @ParameterizedTest
    @CsvSource({"::ffff:10.0.2.2,10.0.2.2", "0:0:0:0:0:ffff:a00:202,10.0.2.2", "::FFFF:192.168.1.50,192.168.1.50"})
    void ipv4MappedAddressesStandForTheirIpv4Address(String mapped, String ipv4) {
        assertEquals(ipv4, NetworkAddresses.mappedIpv4(mapped));
        assertTrue(NetworkAddresses.checkNetconsoleIp(mapped).contains("write " + ipv4), NetworkAddresses.checkNetconsoleIp(mapped));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fec0::2", "::1", "10.0.2.2", "::10.0.2.2", "2001:db8::ffff:10.0.2.2"})
    void notIpv4Mapped(String text) {
        assertEquals(null, NetworkAddresses.mappedIpv4(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fec0::2", "fec0::5054:ff:fe12:3456", "fe80::2", "2001:db8::1", "10.0.2.2"})
    void addressesNetconsoleTakes(String text) {
        assertEquals(null, NetworkAddresses.checkNetconsoleIp(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fe80::2%eth0|has a zone index ('%eth0') after the address 'fe80::2': netconsole takes none: write fe80::2",
        "::|is the unspecified address '::'",
        "0:0::0|is the unspecified address '0:0::0'",
        "0.0.0.0|is the unspecified address '0.0.0.0'",
        "::ffff:10.0.2.2|is an IPv4-mapped IPv6 address",
        "fec0::2::1|is not a valid IPv6 address: 'fec0::2::1' ('::' may stand only once)",
        "10.0.2|is not a valid IPv4 address"})
    void addressesNetconsoleRefuses(String text, String error) {
        assertTrue(NetworkAddresses.checkNetconsoleIp(text).contains(error), NetworkAddresses.checkNetconsoleIp(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "0.0.0.0", "::1", "127.0.0.1", "fec0::2"})
    void addressesAReceiverListensOn(String text) {
        assertEquals(null, NetworkAddresses.checkListenIp(text));
    }

    @ParameterizedTest
    @CsvSource({"fe80::1,true", "FEBF::1,true", "fe80::5054:ff:fe12:3456,true", "fec0::2,false", "fe8::1,false",
        "2001:db8::1,false", "10.0.2.2,false"})
    void linkLocal(String text, boolean linkLocal) {
        assertEquals(linkLocal, NetworkAddresses.isIpv6LinkLocal(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00:11:22:33:44:55", "aa:BB:cc:DD:ee:FF"})
    void macs(String text) {
        assertTrue(NetworkAddresses.isMac(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00:11:22:33:44", "00-11-22-33-44-55", "001122334455", "00:11:22:33:44:5g"})
    void notMacs(String text) {
        assertFalse(NetworkAddresses.isMac(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench-pi4.lab", "localhost", "my-board"})
    void hostNames(String text) {
        assertTrue(NetworkAddresses.isHost(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-pi", "pi_4", "a b", "pi;reboot", "$(id)"})
    void notHostNames(String text) {
        assertFalse(NetworkAddresses.isHost(text));
    }

    @ParameterizedTest
    @CsvSource({"triger,trigger", "pwoer,power", "sysrqq,sysrq", "hots,host"})
    void suggestsTheNearestKey(String typed, String meant) {
        assertEquals(Optional.of(meant), Suggestions.nearest(typed, List.of("trigger", "power", "sysrq", "host", "port")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"colour", "xyz", "boot-time"})
    void suggestsNothingForUnrelatedWords(String typed) {
        assertEquals(Optional.empty(), Suggestions.nearest(typed, List.of("trigger", "power", "boot")));
    }
}
