package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.kernelrig.netconsole.ExtendedDatagram.Header;

class ExtendedRecordDecoderTest {

    private static ExtendedDatagram decode(String datagram) {
        return ExtendedRecordDecoder.decode(datagram.getBytes(StandardCharsets.UTF_8));
    }

    private static Header header(String datagram) {
        return assertInstanceOf(Header.class, decode(datagram));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # datagram                                                      | release           | facility | level | sequence | micros     | flag | text
        6,416,1758426,-;netconsole: network logging started             |                   | 0        | 6     | 416      | 1758426    | -    | netconsole: network logging started
        0,1,2,c;Kernel panic - not syncing: sysrq triggered crash       |                   | 0        | 0     | 1        | 2          | c    | Kernel panic - not syncing: sysrq triggered crash
        12,607,22085407756,-;This is a message                          |                   | 1        | 4     | 607      | 22085407756 | -   | This is a message
        6.4.0,6,444,501151268,-;netconsole: network logging started     | 6.4.0             | 0        | 6     | 444      | 501151268  | -    | netconsole: network logging started
        6.1.0-26-amd64,4,1203,88123456,+;sd 0:0:0:0: [sda] tail         | 6.1.0-26-amd64    | 0        | 4     | 1203     | 88123456   | +    | sd 0:0:0:0: [sda] tail
        6.13.0-04048-g4f561a87745a,13,468,514729715,-;a;b;c             | 6.13.0-04048-g4f561a87745a | 1 | 5   | 468      | 514729715  | -    | a;b;c
        5.10.0-rc1,local,1,2,3,-;a release holding commas                | '5.10.0-rc1,local' | 0       | 1     | 2        | 3          | -    | a release holding commas
        6,9,10,-,future=field;fields the kernel may add are ignored    |                   | 0        | 6     | 9        | 10         | -    | fields the kernel may add are ignored
        """)
    void readsTheHeaderOfWholeRecords(String datagram, String release, int facility, int level, long sequence,
            long micros, char flag, String text) {
        Header header = header(datagram);
        assertEquals(release, header.release());
        assertEquals(facility, header.facility());
        assertEquals(level, header.level());
        assertEquals(sequence, header.sequence());
        assertEquals(micros, header.timestampMicros());
        assertEquals(flag, header.continuation());
        assertNull(header.fragment());
        assertEquals(text, ExtendedRecordDecoder.record(header, header.body()).text());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "[    0.000000] Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org)",
        "sd 0:0:0:0; not a header",
        "Kernel panic - not syncing: Fatal exception",
        "6,416;too few fields",
        "6,416,abc,-;timestamp not a number",
        "6,416,1758426,x;unknown continuation flag",
        "6,416,1758426,--;flag too long",
        ";empty header",
        "",
        "6,41 6,1758426,-;space in a number",
        "12345678901234567890,1,1,-;level prefix far too long",
    })
    void plainConsoleTextIsNotTakenForAHeader(String datagram) {
        assertInstanceOf(ExtendedDatagram.Plain.class, decode(datagram));
    }

    @Test
    void aDatagramWithControlBytesBeforeTheSemicolonIsPlain() {
        assertInstanceOf(ExtendedDatagram.Plain.class, decode("6,1,2,-\u0001;x"));
    }

    @Test
    void keepsThePropertiesThatFollowTheMessage() {
        Header header = header("6,607,22085407756,-;usb 1-1: new high-speed USB device number 2\n"
                + " SUBSYSTEM=usb\n DEVICE=c189:1\n foo=bar\n");
        ExtendedRecord record = ExtendedRecordDecoder.record(header, header.body());
        assertEquals(List.of("usb 1-1: new high-speed USB device number 2"), record.lines());
        assertEquals(Map.of("SUBSYSTEM", "usb", "DEVICE", "c189:1", "foo", "bar"), record.properties());
        assertEquals(List.of("SUBSYSTEM", "DEVICE", "foo"), List.copyOf(record.properties().keySet()));
    }

    @Test
    void keepsTheKernelsEscapesAndReplacesInvalidUtf8() {
        byte[] datagram = "4,7,8,-;caf\u00e9 \\x1b[31m ".getBytes(StandardCharsets.UTF_8);
        byte[] withBadByte = new byte[datagram.length + 2];
        System.arraycopy(datagram, 0, withBadByte, 0, datagram.length);
        withBadByte[datagram.length] = (byte) 0xff;
        withBadByte[datagram.length + 1] = 0x1b;
        Header header = assertInstanceOf(Header.class, ExtendedRecordDecoder.decode(withBadByte));
        assertEquals("caf\u00e9 \\x1b[31m \ufffd\\x1b", ExtendedRecordDecoder.record(header, header.body()).text());
    }

    @Test
    void readsFragmentFields() {
        Header first = header("6,416,1758426,-,ncfrag=0/31;the first chunk,");
        Header second = header("6.4.0,6,416,1758426,-,ncfrag=16/31; the 2nd chunk.");
        assertEquals(new ExtendedDatagram.Fragment(0, 31), first.fragment());
        assertEquals(new ExtendedDatagram.Fragment(16, 31), second.fragment());
        assertEquals("6.4.0", second.release());
        assertEquals(" the 2nd chunk.", new String(second.body(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "6,416,1758426,-,ncfrag=40/31;beyond the total",
        "6,416,1758426,-,ncfrag=20/31;runs past the end",
        "6,416,1758426,-,ncfrag=0/0;total of nothing",
        "6,416,1758426,-,ncfrag=0/99999999;a total far beyond any kernel message",
        "6,416,1758426,-,ncfrag=abc;unreadable",
        "6,416,1758426,-,ncfrag=1/;unreadable",
        "6,416,1758426,-,ncfrag=0/10;",
    })
    void fragmentHeadersThatLieAreMalformed(String datagram) {
        assertInstanceOf(ExtendedDatagram.Malformed.class, decode(datagram));
    }
}
