package org.kernelrig.pstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.patient.TestSshServer;
import org.kernelrig.testing.RequiredTool;

/**
 * The collector against a real SSH server (Apache MINA SSHD) whose commands
 * run in a shell on this machine, with a folder of real records standing in
 * for the board's {@code /sys/fs/pstore}.
 */
class PstoreCollectorTest {

    @TempDir
    Path dir;

    Path store;
    Path run;
    TestSshServer server;

    @BeforeEach
    void start() throws Exception {
        store = Files.createDirectories(dir.resolve("board/sys/fs/pstore"));
        run = Files.createDirectories(dir.resolve("reports/run-1"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private SshPatient connect(String runAs) throws Exception {
        server = new TestSshServer(dir.resolve("ssh"), runAs);
        server.trustHostKey();
        return SshPatient.connect(server.target());
    }

    /** Copies the real records of {@code folder} into the stand-in store. */
    private List<Path> stock(String folder) throws IOException {
        try (Stream<Path> files = Files.list(PstoreDecoderTest.RECORDS.resolve(folder))) {
            List<Path> originals = files.sorted().toList();
            for (Path original : originals) {
                Files.copy(original, store.resolve(original.getFileName()));
            }
            return originals;
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void efiRecordsAreSavedByteForByteDecodedAndDeleted() throws Exception {
        List<Path> originals = stock("efi-oops-then-panic");
        originals = Stream.concat(originals.stream(), stock("efi-enc-z").stream()).toList();

        PstoreCollection collection;
        try (SshPatient patient = connect(null)) {
            collection = new PstoreCollector(patient, store.toString(), false).collect(run, true);
        }

        assertTrue(collection.available());
        assertEquals(28, collection.records().size());
        for (Path original : originals) {
            Path saved = run.resolve("pstore").resolve(original.getFileName());
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(saved), original.getFileName().toString());
        }
        assertEquals(names(run.resolve("pstore")), originals.stream().map(p -> p.getFileName().toString()).toList());

        assertEquals(List.of("Oops#1 from efi (13 records)", "Panic#2 from efi (14 records)"),
                collection.dumps().stream().map(PstoreDump::describe).toList());
        assertTrue(collection.lines().stream()
                .anyMatch(l -> l.text().equals("Kernel panic - not syncing: sysrq triggered crash")));
        assertEquals(List.of("dmesg-efi-179551700001001.enc.z"),
                collection.undecoded().stream().map(UndecodedRecord::fileName).toList());

        assertEquals(28, collection.deleted().size());
        assertEquals(List.of(), names(store), "every record deleted on the board");
        assertTrue(collection.records().stream().allMatch(r -> r.whole() && r.saved()));
    }

    @Test
    void withoutDeleteTheRecordsStayOnTheBoard() throws Exception {
        stock("ramoops-panic");

        PstoreCollection collection;
        try (SshPatient patient = connect(null)) {
            collection = new PstoreCollector(patient, store.toString(), false).collect(run, false);
        }

        assertEquals(List.of("dmesg-ramoops-0"), names(store));
        assertTrue(collection.deleted().isEmpty());
        assertEquals("Panic", collection.dumps().get(0).reason());
        assertArrayEquals(Files.readAllBytes(store.resolve("dmesg-ramoops-0")),
                Files.readAllBytes(run.resolve("pstore/dmesg-ramoops-0")));
        // The time the kernel gave the record travels with it.
        assertEquals(Files.getLastModifiedTime(store.resolve("dmesg-ramoops-0")).toInstant().getEpochSecond(),
                collection.facts().records().get(0).modified().getEpochSecond());
    }

    @Test
    void factsAboutTheStoreAndTheKernel() throws Exception {
        stock("ramoops-panic");

        PstoreFacts facts;
        try (SshPatient patient = connect(null)) {
            facts = new PstoreCollector(patient, store.toString(), false).facts();
        }

        assertTrue(facts.present());
        assertFalse(facts.mounted(), "a plain folder is no pstore mount");
        assertTrue(facts.readable());
        assertEquals(List.of(new PstoreFacts.ListedRecord("dmesg-ramoops-0", 29615,
                Files.getLastModifiedTime(store.resolve("dmesg-ramoops-0")).toInstant().with(
                        java.time.temporal.ChronoField.NANO_OF_SECOND, 0))), facts.records());
        assertEquals(Integer.valueOf(Files.readString(Path.of("/proc/sys/kernel/panic")).strip()), facts.panicTimeout());
    }

    @Test
    void aBoardWithoutPstoreIsReportedNotFatal() throws Exception {
        PstoreCollection collection;
        try (SshPatient patient = connect(null)) {
            collection = new PstoreCollector(patient, dir.resolve("no-such-dir").toString(), true).collect(run, true);
        }

        assertFalse(collection.available());
        assertTrue(collection.records().isEmpty());
        assertTrue(collection.warnings().get(0).contains("its kernel has no pstore"), collection.warnings().get(0));
        assertFalse(Files.exists(run.resolve("pstore")));
    }

    @Test
    void hostileNamesAreQuotedOnTheBoardAndMadeSafeHere() throws Exception {
        String hostile = "dmesg-ramoops-0 $(touch pwned) 'x' ..";
        byte[] content = Files.readAllBytes(PstoreDecoderTest.RECORDS.resolve("ramoops-oops/dmesg-ramoops-0"));
        Files.write(store.resolve(hostile), content);

        PstoreCollection collection;
        try (SshPatient patient = connect(null)) {
            collection = new PstoreCollector(patient, store.toString(), false).collect(run, true);
        }

        Path saved = collection.records().get(0).savedAs();
        assertEquals("dmesg-ramoops-0___touch_pwned___x__..", saved.getFileName().toString());
        assertEquals(run.resolve("pstore"), saved.getParent());
        assertArrayEquals(content, Files.readAllBytes(saved));
        assertTrue(collection.records().get(0).deleted());
        assertEquals(List.of(), names(store));
        try (Stream<Path> all = Files.walk(dir)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("pwned")), "nothing ran");
        }
        assertTrue(collection.dumps().isEmpty(), "an unknown name is kept raw");
        assertEquals(1, collection.undecoded().size());
    }

    @Test
    void recordsLargerTogetherThanOneCommandsOutputAreAllReadWithTheirBinaryBytes() throws Exception {
        Random random = new Random(11);
        byte[][] contents = new byte[30][];
        for (int i = 0; i < contents.length; i++) {
            contents[i] = new byte[150_000 + i];
            random.nextBytes(contents[i]);
            Files.write(store.resolve("dmesg-ramoops-" + i), contents[i]);
        }

        PstoreCollection collection;
        try (SshPatient patient = connect(null)) {
            collection = new PstoreCollector(patient, store.toString(), false).collect(run, true);
        }

        for (int i = 0; i < contents.length; i++) {
            assertArrayEquals(contents[i], Files.readAllBytes(run.resolve("pstore/dmesg-ramoops-" + i)), "record " + i);
        }
        assertEquals(30, collection.deleted().size());
        assertEquals(30, collection.undecoded().size());
        assertTrue(collection.undecoded().get(0).reason().startsWith("binary data"));
    }

    @Test
    void aRecordOverTheBoundIsSavedInPartAndLeftOnTheBoard() throws Exception {
        byte[] big = new byte[PstoreCollector.MAX_RECORD_BYTES + 4096];
        java.util.Arrays.fill(big, (byte) 'x');
        Files.write(store.resolve("console-ramoops-0"), big);

        PstoreCollection collection;
        try (SshPatient patient = connect(null)) {
            collection = new PstoreCollector(patient, store.toString(), false).collect(run, true);
        }

        CollectedRecord record = collection.records().get(0);
        assertFalse(record.whole());
        assertFalse(record.deleted());
        assertEquals(PstoreCollector.MAX_RECORD_BYTES, Files.size(run.resolve("pstore/console-ramoops-0")));
        assertEquals(List.of("console-ramoops-0"), names(store));
        assertTrue(collection.warnings().stream().anyMatch(w -> w.contains("is larger than")), collection.warnings().toString());
    }

    @Test
    void aSecondCollectionInTheSameRunKeepsTheFirstFiles() throws Exception {
        stock("ramoops-panic");
        try (SshPatient patient = connect(null)) {
            PstoreCollector collector = new PstoreCollector(patient, store.toString(), false);
            collector.collect(run, true);
            stock("ramoops-oops");
            PstoreCollection second = collector.collect(run, true);

            assertEquals("dmesg-ramoops-0.2", second.records().get(0).savedAs().getFileName().toString());
        }
        assertEquals("Panic#1 Part1", Files.readAllLines(run.resolve("pstore/dmesg-ramoops-0")).get(0));
        assertEquals("Oops#1 Part1", Files.readAllLines(run.resolve("pstore/dmesg-ramoops-0.2")).get(0));
    }

    /** Runs the board's commands as nobody: the records can be read, but neither deleted nor mounted. */
    @Test
    void aDeletionThatFailsIsAWarningAndTheRecordsAreStillSaved() throws Exception {
        RequiredTool.requireRoot("running the board's commands as another user");
        openToEveryone();
        stock("ramoops-panic");

        PstoreCollection collection;
        try (SshPatient patient = connect("nobody")) {
            collection = new PstoreCollector(patient, store.toString(), false).collect(run, true);
        }

        assertTrue(Files.exists(run.resolve("pstore/dmesg-ramoops-0")));
        assertEquals(1, collection.dumps().size());
        assertTrue(collection.deleted().isEmpty());
        assertEquals(List.of("dmesg-ramoops-0"), names(store));
        String warning = collection.warnings().stream().filter(w -> w.startsWith("could not delete")).findFirst()
                .orElseThrow(() -> new AssertionError(collection.warnings()));
        assertTrue(warning.contains("1 of 1 records") && warning.contains("dmesg-ramoops-0")
                && warning.contains("ermission denied"), warning);
    }

    @Test
    void aStoreThatCannotBeMountedIsUnavailable() throws Exception {
        RequiredTool.requireRoot("running the board's commands as another user");
        openToEveryone();
        stock("ramoops-panic");

        PstoreCollection collection;
        try (SshPatient patient = connect("nobody")) {
            collection = new PstoreCollector(patient, store.toString(), true).collect(run, true);
        }

        assertFalse(collection.available());
        assertEquals(1, collection.facts().records().size(), "listed, but not read");
        assertTrue(collection.records().isEmpty());
        assertTrue(collection.warnings().get(0).startsWith("cannot mount pstore on " + store), collection.warnings().get(0));
        assertEquals(List.of("dmesg-ramoops-0"), names(store));
        assertTrue(collection.summary().startsWith("pstore: not available (cannot mount pstore"), collection.summary());
    }

    /** Lets another user read the stand-in store; the run folder stays this process's. */
    private void openToEveryone() throws IOException {
        for (Path p = store; p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (p.equals(dir)) {
                break;
            }
        }
    }
}
