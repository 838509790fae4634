package org.kernelrig.pstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kernelrig.LabException;
import org.kernelrig.patient.CommandResult;
import org.kernelrig.patient.Patient;

/**
 * Collects a patient's pstore records over SSH: surveys the store (mounting
 * it when the board has not), reads every record binary-safe and bounded,
 * saves each one raw as {@code <run folder>/pstore/<file name>} before
 * anything looks at it, decodes them, and then, when told to, deletes the
 * records it saved, so that the store never fills.
 *
 * <p>Problems with the store itself (no pstore, no backend, a record that
 * cannot be read or deleted) are warnings in the result; only a lost SSH
 * connection or a doctor that cannot save what it read is a
 * {@link LabException}, and then nothing is deleted.
 */
public final class PstoreCollector {

    /** Where the kernel's pstore filesystem is mounted. */
    public static final String STORE = "/sys/fs/pstore";
    /** The most bytes read of one record. */
    public static final int MAX_RECORD_BYTES = PstoreDecoder.MAX_RECORD_BYTES;
    /** The folder of the run folder that receives the records. */
    public static final String FOLDER = "pstore";
    /** Base64 text read per command, well under the bound on one command's output. */
    static final long BATCH_CHARS = 2L << 20;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final Patient patient;
    private final String path;
    private final boolean mountIfNeeded;

    /** The kernel's store at {@link #STORE}, mounted when it is not. */
    public PstoreCollector(Patient patient) {
        this(patient, STORE, true);
    }

    /**
     * @param path          where to find the records
     * @param mountIfNeeded mount a pstore filesystem at {@code path} when none is; false reads the directory as it is
     */
    public PstoreCollector(Patient patient, String path, boolean mountIfNeeded) {
        this.patient = patient;
        this.path = path;
        this.mountIfNeeded = mountIfNeeded;
    }

    /** Surveys the store: present, mounted (mounting it if needed), backend, panic timeout, records. */
    public PstoreFacts facts() throws LabException {
        return survey().facts();
    }

    private record Survey(PstoreFacts facts, boolean cut) {
    }

    private Survey survey() throws LabException {
        CommandResult result = patient.runAsRoot(PstoreShell.survey(path, mountIfNeeded), LIMIT);
        return new Survey(PstoreShell.parseSurvey(path, mountIfNeeded, result.stdout()),
                PstoreShell.listingCut(result.stdout()));
    }

    /**
     * Reads, saves, decodes and (when {@code delete}) deletes every record.
     *
     * @param runFolder the run's folder; records go to its {@code pstore/} folder
     */
    public PstoreCollection collect(Path runFolder, boolean delete) throws LabException {
        long start = System.nanoTime();
        Survey survey = survey();
        PstoreFacts facts = survey.facts();
        List<String> warnings = new ArrayList<>(warnings(facts));
        if (survey.cut()) {
            warnings.add("the store lists more than " + PstoreShell.MAX_LISTED + " files; only the first "
                    + PstoreShell.MAX_LISTED + " were read");
        }
        if (!facts.readable() || facts.records().isEmpty()) {
            return new PstoreCollection(patient.board(), facts, List.of(), PstoreContents.empty(), warnings,
                    Duration.ofNanos(System.nanoTime() - start));
        }
        List<PstoreFacts.ListedRecord> listed = facts.records();
        Reading reading = read(listed, warnings);
        Map<Integer, byte[]> read = reading.bytes();
        Instant readAt = Instant.now();

        Path folder = runFolder.resolve(FOLDER);
        Map<Integer, Path> saved = new LinkedHashMap<>();
        List<PstoreRecord> records = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            PstoreFacts.ListedRecord record = listed.get(i);
            byte[] bytes = read.get(i);
            if (bytes == null) {
                if (i < reading.asked()) {
                    warnings.add("could not read " + record.fileName() + " on the board; it was left there");
                }
                continue;
            }
            if (bytes.length > MAX_RECORD_BYTES) {
                warnings.add(record.fileName() + " is larger than " + MAX_RECORD_BYTES + " bytes; its first "
                        + MAX_RECORD_BYTES + " bytes were saved and it was left on the board");
                bytes = Arrays.copyOf(bytes, MAX_RECORD_BYTES);
            }
            saved.put(i, save(folder, record.fileName(), bytes, used));
            records.add(new PstoreRecord(record.fileName(), bytes, record.modified()));
        }
        PstoreContents contents = PstoreDecoder.decode(records, readAt);

        Set<Integer> deleted = new HashSet<>();
        if (delete) {
            List<Integer> deletable = saved.keySet().stream()
                    .filter(i -> read.get(i).length <= MAX_RECORD_BYTES).toList();
            deleted.addAll(delete(listed, deletable, warnings));
        }
        List<CollectedRecord> collected = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            byte[] bytes = read.get(i);
            boolean whole = bytes != null && bytes.length <= MAX_RECORD_BYTES;
            long size = bytes == null ? listed.get(i).size() : Math.min(bytes.length, MAX_RECORD_BYTES);
            collected.add(new CollectedRecord(listed.get(i).fileName(), saved.get(i), size, whole, deleted.contains(i)));
        }
        warnings.addAll(contents.warnings());
        return new PstoreCollection(patient.board(), facts, collected, contents, warnings,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private List<String> warnings(PstoreFacts facts) {
        List<String> warnings = new ArrayList<>();
        if (!facts.present()) {
            warnings.add("no " + path + " on the board: its kernel has no pstore (CONFIG_PSTORE)");
            return warnings;
        }
        if (facts.mountError() != null) {
            warnings.add("cannot mount pstore on " + path + ": " + facts.mountError());
            return warnings;
        }
        if (facts.backend() == null && mountIfNeeded) {
            warnings.add("no pstore backend is registered (/sys/module/pstore/parameters/backend):"
                    + " the kernel keeps no crash records; load ramoops or efi-pstore");
        }
        if (facts.records().isEmpty() && facts.archivedBySystemd() > 0) {
            warnings.add("no record in " + path + ", but " + facts.archivedBySystemd() + " files in"
                    + " /var/lib/systemd/pstore: systemd-pstore moves records there at boot;"
                    + " stop it with: systemctl mask systemd-pstore.service");
        }
        return warnings;
    }

    /** The bytes read of each record, by index in the listing, and how many records were asked for. */
    private record Reading(Map<Integer, byte[]> bytes, int asked) {
    }

    /**
     * Reads the listed records in batches, up to {@link #MAX_RECORD_BYTES} + 1 bytes each and
     * {@link PstoreDecoder#MAX_TOTAL_BYTES} in all: records past that are left on the board.
     */
    private Reading read(List<PstoreFacts.ListedRecord> listed, List<String> warnings) throws LabException {
        Map<Integer, byte[]> read = new LinkedHashMap<>();
        int next = 0;
        long total = 0;
        while (next < listed.size()) {
            if (total > PstoreDecoder.MAX_TOTAL_BYTES) {
                warnings.add("the records read hold more than " + (PstoreDecoder.MAX_TOTAL_BYTES >> 20)
                        + " MiB; the other " + (listed.size() - next) + " were left on the board");
                break;
            }
            List<Integer> batch = new ArrayList<>();
            long chars = 0;
            while (next < listed.size()
                    && (batch.isEmpty() || chars + encodedChars(listed.get(next).size()) <= BATCH_CHARS)) {
                chars += encodedChars(listed.get(next).size());
                batch.add(next++);
            }
            Map<Integer, byte[]> bytes = readBatch(listed, batch);
            read.putAll(bytes);
            total += bytes.values().stream().mapToLong(b -> b.length).sum();
        }
        return new Reading(read, next);
    }

    /** The bytes of the records at {@code batch}, by index; records that could not be read are absent. */
    private Map<Integer, byte[]> readBatch(List<PstoreFacts.ListedRecord> listed, List<Integer> batch)
            throws LabException {
        List<String> names = batch.stream().map(i -> listed.get(i).fileName()).toList();
        CommandResult result = patient.runAsRoot(PstoreShell.read(path, names, MAX_RECORD_BYTES), LIMIT);
        Map<Integer, byte[]> read = new LinkedHashMap<>();
        if (result.truncated() && batch.size() > 1) {
            // The files were larger than listed: read them one by one.
            for (Integer index : batch) {
                read.putAll(readBatch(listed, List.of(index)));
            }
            return read;
        }
        if (!result.truncated()) {
            PstoreShell.parseRead(result.stdout(), result.stderr(), names.size())
                    .forEach((position, content) -> read.put(batch.get(position), content));
        }
        return read;
    }

    /** Base64 characters of a file of {@code size} bytes, read up to the bound, with line ends. */
    private static long encodedChars(long size) {
        long bytes = Math.min(Math.max(size, 0), MAX_RECORD_BYTES + 1L);
        long base64 = (bytes + 2) / 3 * 4;
        return base64 + base64 / 76 + 64;
    }

    /** Writes {@code bytes} to a new file named after the record, and forces it to disk. */
    private Path save(Path folder, String fileName, byte[] bytes, Set<String> used) throws LabException {
        try {
            Files.createDirectories(folder);
            String base = safeName(fileName);
            String name = base;
            for (int n = 2; used.contains(name) || Files.exists(folder.resolve(name)); n++) {
                name = base + "." + n;
            }
            used.add(name);
            Path file = folder.resolve(name);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            return file;
        } catch (IOException e) {
            throw new LabException("board " + patient.board() + ": cannot save the pstore record " + safeName(fileName)
                    + " in " + folder + ": " + e.getMessage(),
                    "the records were left on the board; free space or fix permissions and collect again");
        }
    }

    /** A file name from the board, made safe for this machine: letters, digits, {@code . _ + -}, at most 128. */
    static String safeName(String fileName) {
        String safe = fileName.replaceAll("[^A-Za-z0-9._+-]", "_");
        if (safe.length() > 128) {
            safe = safe.substring(0, 128);
        }
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        return safe;
    }

    /** Deletes the records at {@code indexes}; returns those gone afterwards. */
    private Set<Integer> delete(List<PstoreFacts.ListedRecord> listed, List<Integer> indexes, List<String> warnings)
            throws LabException {
        if (indexes.isEmpty()) {
            return Set.of();
        }
        List<String> names = indexes.stream().map(i -> listed.get(i).fileName()).toList();
        CommandResult result = patient.runAsRoot(PstoreShell.delete(path, names), LIMIT);
        Set<Integer> kept = PstoreShell.parseKept(result.stdout());
        Set<Integer> deleted = new HashSet<>();
        List<String> notDeleted = new ArrayList<>();
        for (int position = 0; position < names.size(); position++) {
            if (kept.contains(position)) {
                notDeleted.add(names.get(position));
            } else {
                deleted.add(indexes.get(position));
            }
        }
        if (!notDeleted.isEmpty()) {
            List<String> said = PstoreShell.deleteMessages(result.stdout());
            warnings.add("could not delete " + notDeleted.size() + " of " + names.size() + " records on the board ("
                    + String.join(", ", notDeleted.subList(0, Math.min(5, notDeleted.size())))
                    + (notDeleted.size() > 5 ? ", ..." : "") + ")" + (said.isEmpty() ? "" : ": " + said.get(0))
                    + "; the store may fill and keep no more crashes");
        }
        return deleted;
    }
}
