package org.kernelrig.pstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.kernelrig.console.ConsoleLine;

/** The record decoder on real records saved from Debian 12's kernel (see src/test/resources/pstore/README.md). */
class PstoreDecoderTest {

    static final Path RECORDS = Path.of("src/test/resources/pstore");
    static final Instant READ_AT = Instant.parse("2026-11-24T10:45:00Z");

    static List<PstoreRecord> records(String folder) throws IOException {
        try (Stream<Path> files = Files.list(RECORDS.resolve(folder))) {
            List<PstoreRecord> records = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                records.add(new PstoreRecord(file.getFileName().toString(), Files.readAllBytes(file), null));
            }
            return records;
        }
    }

    static String text(PstoreRecord record) {
        return new String(record.content(), StandardCharsets.UTF_8);
    }

    /** The record's lines after its header, as the kernel wrote them. */
    static List<String> body(PstoreRecord record) {
        List<String> lines = text(record).lines().toList();
        return lines.subList(1, lines.size());
    }

    static List<String> messages(PstoreDump dump) {
        return dump.lines().stream().map(ConsoleLine::text).toList();
    }

    static void assertTimesNeverGoBack(PstoreDump dump) {
        long last = -1;
        for (ConsoleLine line : dump.lines()) {
            if (line.kernelTimeMicros() != null) {
                assertTrue(line.kernelTimeMicros() >= last, "out of order at: " + line.text());
                last = line.kernelTimeMicros();
            }
        }
    }

    @Test
    void aRamoopsPanicIsOneDumpOfTheWholeLog() throws IOException {
        List<PstoreRecord> records = records("ramoops-panic");

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertEquals(1, contents.dumps().size());
        assertTrue(contents.undecoded().isEmpty());
        PstoreDump dump = contents.dumps().get(0);
        assertEquals("Panic", dump.reason());
        assertEquals(1, dump.count());
        assertEquals("ramoops", dump.backend());
        assertEquals("dmesg", dump.type());
        assertEquals(List.of("dmesg-ramoops-0"), dump.records());
        assertEquals(body(records.get(0)).size(), dump.lines().size());
        assertTrue(dump.missingParts().isEmpty());

        ConsoleLine first = dump.lines().get(0);
        assertTrue(first.text().startsWith("Linux version 6.1.0-56-amd64 "), first.text());
        assertEquals(5, first.level());
        assertEquals(0L, first.kernelTimeMicros());
        ConsoleLine panic = dump.lines().stream()
                .filter(l -> l.text().equals("Kernel panic - not syncing: sysrq triggered crash")).findFirst().orElseThrow();
        assertEquals(0, panic.level());
        assertEquals(17_145_152L, panic.kernelTimeMicros());
        assertTrue(dump.lines().stream().allMatch(l -> l.source() == ConsoleLine.Source.PSTORE
                && l.arrival().equals(READ_AT)));
        assertTimesNeverGoBack(dump);
    }

    @Test
    void aMessageWrittenToDevKmsgHasItsFacilityTakenOffTheLevel() throws IOException {
        PstoreDump dump = PstoreDecoder.decode(records("ramoops-panic"), READ_AT).dumps().get(0);

        ConsoleLine marker = dump.lines().stream().filter(l -> l.text().startsWith("rig-pstore-capture"))
                .findFirst().orElseThrow();
        assertEquals("rig-pstore-capture: ramoops sysrq panic", marker.text());
        assertEquals(4, marker.level(), "<12> is facility user (1), level 4");
        assertEquals(16_131_526L, marker.kernelTimeMicros());
    }

    @Test
    void aRamoopsOopsKeepsItsReason() throws IOException {
        PstoreDump dump = PstoreDecoder.decode(records("ramoops-oops"), READ_AT).dumps().get(0);

        assertEquals("Oops", dump.reason());
        assertEquals("Oops#1 from ramoops (1 record)", dump.describe());
        assertTrue(messages(dump).contains("BUG: kernel NULL pointer dereference, address: 0000000000000000"));
        assertEquals("---[ end trace 0000000000000000 ]---", messages(dump).get(dump.lines().size() - 1));
    }

    @Test
    void efiPartsAreJoinedOldestFirstAndTwoDumpsStayApart() throws IOException {
        List<PstoreRecord> records = records("efi-oops-then-panic");

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertEquals(2, contents.dumps().size());
        PstoreDump oops = contents.dumps().get(0);
        PstoreDump panic = contents.dumps().get(1);
        assertEquals("Oops#1 from efi (13 records)", oops.describe());
        assertEquals("Panic#2 from efi (14 records)", panic.describe());
        assertEquals(Instant.ofEpochSecond(1795516897L), oops.time());
        assertEquals(Instant.ofEpochSecond(1795516906L), panic.time());
        assertEquals("dmesg-efi-179551689713001", oops.records().get(0), "Part13, the oldest, first");
        assertEquals("dmesg-efi-179551689701001", oops.records().get(12), "Part1, the newest, last");

        // The join is every part's lines, Part13 down to Part1, each line once.
        List<String> expected = new ArrayList<>();
        for (String name : oops.records()) {
            PstoreRecord part = records.stream().filter(r -> r.fileName().equals(name)).findFirst().orElseThrow();
            expected.addAll(body(part).stream().map(l -> RecordText.parseLine(l).message()).toList());
        }
        assertEquals(expected, messages(oops));
        assertEquals(0, oops.sharedLines());
        assertTimesNeverGoBack(oops);
        assertTimesNeverGoBack(panic);
        assertEquals("---[ end trace 0000000000000000 ]---", messages(oops).get(oops.lines().size() - 1));

        // The panic's Part1 holds the call trace; the panic line itself is in Part2.
        List<String> panicText = messages(panic);
        int panicLine = panicText.indexOf("Kernel panic - not syncing: sysrq triggered crash");
        int marker = panicText.indexOf("rig-pstore-capture: efi sysrq panic");
        assertTrue(marker >= 0 && panicLine > marker, "marker before the panic");
        assertTrue(panicText.get(panicText.size() - 1).startsWith("Kernel Offset: "));
    }

    @Test
    void partsGivenInAnyOrderJoinTheSame() throws IOException {
        List<PstoreRecord> records = records("efi-oops-then-panic");
        PstoreContents inOrder = PstoreDecoder.decode(records, READ_AT);

        for (long seed = 1; seed <= 5; seed++) {
            List<PstoreRecord> shuffled = new ArrayList<>(records);
            Collections.shuffle(shuffled, new Random(seed));

            assertEquals(inOrder, PstoreDecoder.decode(shuffled, READ_AT), "seed " + seed);
        }
        List<PstoreRecord> reversed = new ArrayList<>(records);
        Collections.reverse(reversed);
        assertEquals(inOrder, PstoreDecoder.decode(reversed, READ_AT));
    }

    @Test
    void theWriteOfOneDumpMayCrossASecond() throws IOException {
        List<PstoreRecord> records = records("efi-panic-across-a-second");

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertEquals(1, contents.dumps().size());
        PstoreDump dump = contents.dumps().get(0);
        assertEquals("Panic#2 from efi (14 records)", dump.describe());
        assertEquals(Instant.ofEpochSecond(1795517754L), dump.time());
        assertEquals("dmesg-efi-179551775401002", dump.records().get(13));
        assertTimesNeverGoBack(dump);
        assertTrue(messages(dump).contains("Kernel panic - not syncing: sysrq triggered crash"));
    }

    @Test
    void linesTwoPartsShareAreKeptOnce() throws IOException {
        List<PstoreRecord> records = records("efi-oops-then-panic").stream()
                .filter(r -> r.fileName().endsWith("002")).toList();
        PstoreDump plain = PstoreDecoder.decode(records, READ_AT).dumps().get(0);
        // Part1 written as if the kernel had repeated the last three lines of Part2 at its start.
        PstoreRecord part2 = find(records, "dmesg-efi-179551690602002");
        PstoreRecord part1 = find(records, "dmesg-efi-179551690601002");
        List<String> part2Body = body(part2);
        List<String> part1Lines = text(part1).lines().toList();
        List<String> overlapping = new ArrayList<>();
        overlapping.add(part1Lines.get(0));
        overlapping.addAll(part2Body.subList(part2Body.size() - 3, part2Body.size()));
        overlapping.addAll(part1Lines.subList(1, part1Lines.size()));
        List<PstoreRecord> withOverlap = new ArrayList<>(records);
        withOverlap.set(withOverlap.indexOf(part1), new PstoreRecord(part1.fileName(),
                (String.join("\n", overlapping) + "\n").getBytes(StandardCharsets.UTF_8), null));

        PstoreDump joined = PstoreDecoder.decode(withOverlap, READ_AT).dumps().get(0);

        assertEquals(3, joined.sharedLines());
        assertEquals(messages(plain), messages(joined));
    }

    @Test
    void twoDumpsWithTheSameHeaderFromTwoBootsStayApart() throws IOException {
        PstoreRecord panic = records("ramoops-panic").get(0);
        List<PstoreRecord> twoBoots = List.of(panic, new PstoreRecord("dmesg-ramoops-1", panic.content(), null));

        PstoreContents contents = PstoreDecoder.decode(twoBoots, READ_AT);

        assertEquals(2, contents.dumps().size());
        assertEquals(List.of("dmesg-ramoops-0"), contents.dumps().get(0).records());
        assertEquals(List.of("dmesg-ramoops-1"), contents.dumps().get(1).records());
        assertEquals(0, contents.dumps().get(0).sharedLines());
    }

    @Test
    void aMissingPartIsReported() throws IOException {
        List<PstoreRecord> records = records("efi-oops-then-panic").stream()
                .filter(r -> r.fileName().endsWith("002") && !r.fileName().equals("dmesg-efi-179551690605002")
                        && !r.fileName().equals("dmesg-efi-179551690601002"))
                .toList();

        PstoreDump dump = PstoreDecoder.decode(records, READ_AT).dumps().get(0);

        assertEquals(List.of(1, 5), dump.missingParts());
        assertTrue(dump.newestEndMissing());
        assertEquals("Panic#2 from efi (12 records, parts [1, 5] missing)", dump.describe());
    }

    @Test
    void aRecordTheKernelCouldNotDecompressIsKeptRawAndReported() throws IOException {
        List<PstoreRecord> records = new ArrayList<>(records("efi-enc-z"));
        records.addAll(records("ramoops-panic"));

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertEquals(1, contents.undecoded().size());
        UndecodedRecord raw = contents.undecoded().get(0);
        assertEquals("dmesg-efi-179551700001001.enc.z", raw.fileName());
        assertEquals(112, raw.size());
        assertTrue(raw.reason().startsWith("compressed (.enc.z)"), raw.reason());
        assertEquals(1, contents.dumps().size(), "the other records are decoded all the same");
    }

    @Test
    void recordsOfOtherKinds() throws IOException {
        PstoreRecord panic = records("ramoops-panic").get(0);
        // A console record holds the console's lines, with timestamps and without levels.
        String console = body(panic).stream().map(l -> l.replaceFirst("^<\\d+>", "")).reduce("", (a, b) -> a + b + "\n");
        List<PstoreRecord> records = List.of(
                new PstoreRecord("console-ramoops-0", console.getBytes(StandardCharsets.UTF_8), null),
                new PstoreRecord("pmsg-ramoops-0", "a user space message\n".getBytes(StandardCharsets.UTF_8), null),
                new PstoreRecord("ftrace-ramoops-0", "CPU:0 ts:1 ffffffff81000000\n".getBytes(StandardCharsets.UTF_8), null),
                new PstoreRecord("notes.txt", "hello\n".getBytes(StandardCharsets.UTF_8), null));

        PstoreContents contents = PstoreDecoder.decode(records, READ_AT);

        assertEquals(1, contents.dumps().size());
        PstoreDump consoleDump = contents.dumps().get(0);
        assertEquals("console", consoleDump.type());
        assertNull(consoleDump.reason());
        assertEquals("console from ramoops (1 record)", consoleDump.describe());
        ConsoleLine panicLine = consoleDump.lines().stream()
                .filter(l -> l.text().equals("Kernel panic - not syncing: sysrq triggered crash")).findFirst().orElseThrow();
        assertNull(panicLine.level());
        assertEquals(17_145_152L, panicLine.kernelTimeMicros());
        assertEquals(List.of("pmsg-ramoops-0", "ftrace-ramoops-0", "notes.txt"),
                contents.undecoded().stream().map(UndecodedRecord::fileName).toList());
        assertEquals("not a pstore record name rig knows", contents.undecoded().get(2).reason());
    }

    @Test
    void linesWithoutThePrefixAreKept() {
        byte[] content = "Panic#1 Part1\n<4>[    1.000000] before\nno prefix at all\n\tindented\n<6>[    1.5] after\n"
                .getBytes(StandardCharsets.UTF_8);

        PstoreDump dump = PstoreDecoder.decode(List.of(new PstoreRecord("dmesg-ramoops-3", content, null)), READ_AT)
                .dumps().get(0);

        assertEquals(List.of("before", "no prefix at all", "\tindented", "after"), messages(dump));
        assertNull(dump.lines().get(1).level());
        assertNull(dump.lines().get(1).kernelTimeMicros());
        assertEquals(1_500_000L, dump.lines().get(3).kernelTimeMicros());
    }

    static PstoreRecord find(List<PstoreRecord> records, String name) {
        return records.stream().filter(r -> r.fileName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void namesOfRecords() {
        assertEquals(new RecordName("dmesg-ramoops-0", "dmesg", "ramoops", 0L, false), RecordName.parse("dmesg-ramoops-0"));
        assertEquals(new RecordName("dmesg-efi-179551689701001", "dmesg", "efi", 179551689701001L, false),
                RecordName.parse("dmesg-efi-179551689701001"));
        assertEquals(1795516897L, RecordName.parse("dmesg-efi-179551689701001").efiSeconds());
        assertNull(RecordName.parse("dmesg-ramoops-0").efiSeconds());
        assertEquals(new RecordName("dmesg-efi-179551700001001.enc.z", "dmesg", "efi", 179551700001001L, true),
                RecordName.parse("dmesg-efi-179551700001001.enc.z"));
        assertEquals(new RecordName("console-ramoops-0", "console", "ramoops", 0L, false),
                RecordName.parse("console-ramoops-0"));
        assertEquals(new RecordName("console-ramoops", "console", "ramoops", null, false),
                RecordName.parse("console-ramoops"));
        assertEquals("powerpc-ofw", RecordName.parse("powerpc-ofw-nvram-1").type());
        assertEquals(RecordName.UNKNOWN, RecordName.parse("dmesg").type());
        assertEquals(RecordName.UNKNOWN, RecordName.parse("weird-ramoops-0").type());
        assertEquals(RecordName.UNKNOWN, RecordName.parse("dmesg-ramoops-99999999999999999999").type());
        assertFalse(RecordName.parse("pmsg-ramoops-0").isKernelLog());
    }

    @Test
    void headers() {
        assertEquals(new RecordHeader("Panic", 1, 1), RecordHeader.parse("Panic#1 Part1").orElseThrow());
        assertEquals(new RecordHeader("Oops", 2, 3), RecordHeader.parse("Oops#2 Part3").orElseThrow());
        assertTrue(RecordHeader.parse("Panic#x Part1").isEmpty());
        assertTrue(RecordHeader.parse("Panic#1 Part").isEmpty());
        assertTrue(RecordHeader.parse("Panic#1234567890 Part1").isEmpty());
        assertTrue(RecordHeader.parse("<4>[ 1.0] Panic#1 Part1").isEmpty());
    }
}
