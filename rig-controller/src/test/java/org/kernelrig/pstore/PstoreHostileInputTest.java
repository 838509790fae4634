package org.kernelrig.pstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.kernelrig.console.ConsoleLine;

/** Nothing a board stores is trusted: the decoder bounds, refuses or keeps raw, and never throws. */
class PstoreHostileInputTest {

    static final Instant READ_AT = Instant.parse("2026-11-24T10:45:00Z");

    static PstoreContents decode(PstoreRecord... records) {
        return PstoreDecoder.decode(List.of(records), READ_AT);
    }

    static PstoreRecord record(String name, String text) {
        return new PstoreRecord(name, text.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void randomBytesAreKeptRawAsBinary() {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);

        PstoreContents contents = decode(new PstoreRecord("dmesg-efi-179551689701001", noise, null));

        assertTrue(contents.dumps().isEmpty());
        assertEquals(1, contents.undecoded().size());
        assertTrue(contents.undecoded().get(0).reason().startsWith("binary data"), contents.undecoded().get(0).reason());
    }

    @Test
    void aNulByteAfterAValidHeaderMakesItBinary() {
        byte[] content = "Panic#1 Part1\n<0>[    1.000000] Kernel panic\0\0\0".getBytes(StandardCharsets.UTF_8);

        PstoreContents contents = decode(new PstoreRecord("dmesg-ramoops-0", content, null));

        assertEquals("binary data (a NUL byte at offset 44)", contents.undecoded().get(0).reason());
    }

    @Test
    void aFewBadBytesInALogAreReplacedNotRefused() {
        byte[] text = "Panic#1 Part1\n<4>[    1.000000] usb 1-1: Product: Cam\u00e9ra\n<4>[    1.000001] esc \u001b[31mred\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = Arrays.copyOf(text, text.length + 1);
        latin1[latin1.length - 1] = (byte) 0xe9;

        PstoreDump dump = decode(new PstoreRecord("dmesg-ramoops-0", latin1, null)).dumps().get(0);

        assertEquals("usb 1-1: Product: Cam\u00e9ra", dump.lines().get(0).text());
        assertEquals("esc \uFFFD[31mred", dump.lines().get(1).text());
        assertEquals("\uFFFD", dump.lines().get(2).text());
    }

    @Test
    void aDmesgRecordWithoutAHeaderIsDecodedOnItsOwnWithAWarning() {
        PstoreContents contents = decode(
                record("dmesg-ramoops-0", "Panic#one Part1\n<0>[    1.000000] Kernel panic\n"),
                record("dmesg-ramoops-1", "<0>[    2.000000] Kernel panic again\n"));

        assertEquals(2, contents.dumps().size());
        assertNull(contents.dumps().get(0).reason());
        assertEquals(List.of("Panic#one Part1", "Kernel panic"),
                contents.dumps().get(0).lines().stream().map(ConsoleLine::text).toList());
        assertEquals(2, contents.warnings().size());
        assertTrue(contents.warnings().get(0).contains("has no 'Panic#1 Part1' header"), contents.warnings().get(0));
    }

    @Test
    void anAbsurdPartNumberReportsABoundedListOfMissingParts() {
        PstoreContents contents = decode(
                record("dmesg-efi-1", "Panic#1 Part1\n<0>[    1.000000] newest\n"),
                record("dmesg-efi-2", "Panic#1 Part999999999\n<0>[    0.000000] oldest\n"));

        PstoreDump dump = contents.dumps().get(0);
        assertEquals(List.of("oldest", "newest"), dump.lines().stream().map(ConsoleLine::text).toList());
        assertEquals(100, dump.missingParts().size());
    }

    @Test
    void aHugeRecordIsDecodedFromItsNewestEnd() {
        StringBuilder log = new StringBuilder("Panic#1 Part1\n");
        int count = 0;
        while (log.length() < PstoreDecoder.MAX_RECORD_BYTES + (1 << 20)) {
            log.append("<6>[").append(count / 1000).append('.').append(String.valueOf(1_000_000 + count % 1000), 1, 7)
                    .append("] line ").append(count).append('\n');
            count++;
        }
        log.append("<0>[99999.000000] Kernel panic - not syncing: the end\n");

        PstoreContents contents = decode(record("dmesg-ramoops-0", log.toString()));

        PstoreDump dump = contents.dumps().get(0);
        assertEquals("Panic", dump.reason());
        assertEquals("Kernel panic - not syncing: the end", dump.lines().get(dump.lines().size() - 1).text());
        assertTrue(dump.lines().get(0).text().matches("line \\d+"), "starts at a whole line: " + dump.lines().get(0));
        assertTrue(dump.lines().size() < count, "the oldest lines were dropped");
        assertTrue(contents.warnings().get(0).contains("only its last"), contents.warnings().get(0));
    }

    @Test
    void aLongLineIsCut() {
        String longLine = "<4>[    1.000000] " + "x".repeat(100_000);

        PstoreDump dump = decode(record("dmesg-ramoops-0", "Oops#1 Part1\n" + longLine + "\n")).dumps().get(0);

        assertTrue(dump.lines().get(0).text().length() < RecordText.MAX_LINE_CHARS);
    }

    @Test
    void tooManyRecordsAndLinesAreBounded() {
        List<PstoreRecord> records = new ArrayList<>();
        String body = "<6>[    1.000000] a line\n".repeat(500);
        for (int i = 0; i < PstoreDecoder.MAX_RECORDS + 100; i++) {
            records.add(record("dmesg-ramoops-" + i, "Panic#1 Part1\n" + body));
        }

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertEquals(PstoreDecoder.MAX_RECORDS, contents.dumps().size());
        assertEquals(PstoreDecoder.MAX_LINES, contents.lines().size());
        assertTrue(contents.warnings().stream().anyMatch(w -> w.contains("only the first " + PstoreDecoder.MAX_RECORDS)));
        assertTrue(contents.warnings().stream().anyMatch(w -> w.contains("more than " + PstoreDecoder.MAX_LINES)));
    }

    @Test
    void theBytesDecodedInAllAreBounded() {
        byte[] big = ("Panic#1 Part1\n" + "<6>[    1.000000] a line\n".repeat(PstoreDecoder.MAX_RECORD_BYTES / 25))
                .getBytes(StandardCharsets.UTF_8);
        List<PstoreRecord> records = new ArrayList<>();
        int count = (int) (PstoreDecoder.MAX_TOTAL_BYTES / big.length) + 3;
        for (int i = 0; i < count; i++) {
            records.add(new PstoreRecord("dmesg-ramoops-" + i, big, null));
        }

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertTrue(contents.lines().size() <= PstoreDecoder.MAX_LINES);
        assertTrue(contents.undecoded().size() >= 3);
        assertTrue(contents.undecoded().get(0).reason().startsWith("not decoded: the records before it"),
                contents.undecoded().get(0).reason());
    }

    @Test
    void emptyAndHeaderOnlyRecords() {
        PstoreContents contents = decode(
                new PstoreRecord("dmesg-ramoops-0", new byte[0], null),
                record("dmesg-ramoops-1", "Panic#1 Part1\n"));

        assertEquals(2, contents.dumps().size());
        assertTrue(contents.dumps().get(0).lines().isEmpty());
        assertTrue(contents.dumps().get(1).lines().isEmpty());
        assertEquals("Panic", contents.dumps().get(1).reason());
    }
}
