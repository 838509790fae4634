package org.kernelrig.pstore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.kernelrig.console.ConsoleLine;

/**
 * Turns the records read from a board's pstore into the dumps they hold.
 * Pure: no I/O, and nothing the board sent is trusted (record count, record
 * size and line length are bounded; binary data is refused, never decoded).
 *
 * <p>A dump larger than one record is split by the kernel into parts, each
 * its own record headed {@code Oops#1 Part1}, {@code Oops#1 Part2}, ...: Part1
 * holds the newest end of the log, higher parts older lines. The decoder puts
 * the parts of each dump back in order, whatever order they come in, and
 * joins them; where two neighbouring parts both hold the same lines, they are
 * kept once. Records of different dumps (another reason or count, or a part
 * number seen twice) stay apart.
 */
public final class PstoreDecoder {

    /** The most records decoded from one reading; an EFI store holds about a hundred. */
    public static final int MAX_RECORDS = 1024;
    /** The most bytes of one record decoded; larger records are decoded from their newest end. */
    public static final int MAX_RECORD_BYTES = 2 << 20;
    /** The most bytes decoded from one reading, all records together. */
    public static final long MAX_TOTAL_BYTES = 32L << 20;
    /** The most lines produced in all. */
    public static final int MAX_LINES = 200_000;
    /** Records of one dump are written within moments; a longer gap means another dump. */
    static final Duration DUMP_SPAN = Duration.ofSeconds(10);
    /** The most lines looked at for an overlap where two parts join. */
    static final int MAX_SHARED = 200;

    private PstoreDecoder() {
    }

    /** One decoded record, before the parts of a dump are joined. */
    private record Piece(PstoreRecord record, RecordName name, RecordHeader header, Instant time,
            List<RecordText.Line> lines) {
    }

    /**
     * Decodes {@code records}.
     *
     * @param readAt when rig read them: the arrival time of every line
     */
    public static PstoreContents decode(List<PstoreRecord> records, Instant readAt) {
        List<String> warnings = new ArrayList<>();
        List<UndecodedRecord> undecoded = new ArrayList<>();
        List<PstoreRecord> bounded = records;
        if (records.size() > MAX_RECORDS) {
            warnings.add(records.size() + " records; only the first " + MAX_RECORDS + " were decoded");
            bounded = records.subList(0, MAX_RECORDS);
        }
        List<Piece> pieces = new ArrayList<>();
        long bytes = 0;
        int parsedLines = 0;
        for (PstoreRecord record : bounded) {
            bytes += record.size();
            if (bytes > MAX_TOTAL_BYTES) {
                undecoded.add(new UndecodedRecord(record.fileName(), record.size(),
                        "not decoded: the records before it already hold " + (MAX_TOTAL_BYTES >> 20) + " MiB"));
                continue;
            }
            Piece piece = decodeRecord(record, MAX_LINES - parsedLines, undecoded, warnings);
            if (piece != null) {
                pieces.add(piece);
                parsedLines += piece.lines().size();
            }
        }
        List<PstoreDump> dumps = new ArrayList<>();
        for (List<Piece> dump : dumps(pieces)) {
            dumps.add(join(dump, readAt));
        }
        if (parsedLines >= MAX_LINES) {
            warnings.add("more than " + MAX_LINES + " lines in the records; the rest was not decoded");
        }
        return new PstoreContents(dumps, undecoded, warnings);
    }

    private static Piece decodeRecord(PstoreRecord record, int maxLines, List<UndecodedRecord> undecoded,
            List<String> warnings) {
        RecordName name = record.name();
        byte[] content = record.content();
        if (name.compressed()) {
            undecoded.add(new UndecodedRecord(record.fileName(), content.length,
                    "compressed (.enc.z): the kernel could not decompress it; kept as read"));
            return null;
        }
        if (!name.isKernelLog()) {
            undecoded.add(new UndecodedRecord(record.fileName(), content.length,
                    name.type().equals(RecordName.UNKNOWN) ? "not a pstore record name rig knows"
                            : "a " + name.type() + " record; rig decodes dmesg and console records"));
            return null;
        }
        RecordHeader header = null;
        byte[] body = content;
        if (name.isDmesg()) {
            int firstLineEnd = indexOf(content, (byte) '\n', 64);
            if (firstLineEnd >= 0) {
                header = RecordHeader.parse(new String(content, 0, firstLineEnd, StandardCharsets.UTF_8)).orElse(null);
            }
            if (header != null) {
                body = Arrays.copyOfRange(content, firstLineEnd + 1, content.length);
            }
        }
        if (body.length > MAX_RECORD_BYTES) {
            warnings.add(record.fileName() + " holds " + content.length + " bytes; only its last " + MAX_RECORD_BYTES
                    + " bytes, the newest lines, were decoded");
            body = newestEnd(body);
        }
        String notText = RecordText.notTextReason(body, content.length - body.length);
        if (notText != null && body.length > 0) {
            undecoded.add(new UndecodedRecord(record.fileName(), content.length, notText));
            return null;
        }
        if (name.isDmesg() && header == null) {
            warnings.add(record.fileName() + " has no 'Panic#1 Part1' header; decoded on its own");
        }
        Instant time = name.efiSeconds() != null ? Instant.ofEpochSecond(name.efiSeconds()) : record.modified();
        List<RecordText.Line> lines = RecordText.lines(RecordText.decode(body), maxLines);
        return new Piece(record, name, header, time, lines);
    }

    /** The last {@link #MAX_RECORD_BYTES} bytes, from the start of a line. */
    private static byte[] newestEnd(byte[] body) {
        int from = body.length - MAX_RECORD_BYTES;
        int lineStart = indexOf(Arrays.copyOfRange(body, from, Math.min(body.length, from + 8192)), (byte) '\n', 8192);
        return Arrays.copyOfRange(body, lineStart >= 0 ? from + lineStart + 1 : from, body.length);
    }

    private static int indexOf(byte[] bytes, byte wanted, int limit) {
        for (int i = 0; i < Math.min(bytes.length, limit); i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The pieces grouped into dumps, each dump's pieces in the order they were written (Part1 first). */
    private static List<List<Piece>> dumps(List<Piece> pieces) {
        Map<List<Object>, List<Piece>> groups = new LinkedHashMap<>();
        for (Piece piece : pieces) {
            // A record without a header is a dump of its own: its key is an object equal to nothing else.
            List<Object> key = piece.header() == null ? List.of(new Object())
                    : List.of(piece.name().type(), Objects.toString(piece.name().backend()),
                            piece.header().reason(), piece.header().count());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(piece);
        }
        Comparator<Piece> written = Comparator.comparing(Piece::time, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(p -> p.name().id(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(p -> p.record().fileName());
        List<List<Piece>> dumps = new ArrayList<>();
        for (List<Piece> group : groups.values()) {
            List<Piece> sorted = group.stream().sorted(written).toList();
            List<Piece> current = new ArrayList<>();
            for (Piece piece : sorted) {
                if (!current.isEmpty() && startsAnotherDump(current, piece)) {
                    dumps.add(current);
                    current = new ArrayList<>();
                }
                current.add(piece);
            }
            dumps.add(current);
        }
        dumps.sort(Comparator.comparing((List<Piece> d) -> d.get(0).time(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        return dumps;
    }

    private static boolean startsAnotherDump(List<Piece> dump, Piece piece) {
        if (piece.header() == null) {
            return true;
        }
        boolean partSeen = dump.stream().anyMatch(p -> p.header().part() == piece.header().part());
        Instant last = dump.get(dump.size() - 1).time();
        boolean later = last != null && piece.time() != null
                && Duration.between(last, piece.time()).compareTo(DUMP_SPAN) > 0;
        return partSeen || later;
    }

    /** The parts of one dump joined, oldest first, lines shared by neighbouring parts kept once. */
    private static PstoreDump join(List<Piece> dump, Instant readAt) {
        List<Piece> oldestFirst = dump.stream()
                .sorted(Comparator.comparingInt((Piece p) -> p.header() == null ? 0 : p.header().part()).reversed())
                .toList();
        List<RecordText.Line> joined = new ArrayList<>();
        int shared = 0;
        for (Piece piece : oldestFirst) {
            int overlap = overlap(joined, piece.lines());
            shared += overlap;
            joined.addAll(piece.lines().subList(overlap, piece.lines().size()));
        }
        List<ConsoleLine> lines = new ArrayList<>();
        for (RecordText.Line line : joined) {
            lines.add(new ConsoleLine(readAt, ConsoleLine.Source.PSTORE, line.message(), line.level(), null,
                    line.kernelTimeMicros()));
        }
        Piece newest = oldestFirst.get(oldestFirst.size() - 1);
        Piece first = dump.get(0);
        RecordHeader header = first.header();
        TreeSet<Integer> parts = new TreeSet<>();
        dump.stream().filter(p -> p.header() != null).forEach(p -> parts.add(p.header().part()));
        List<Integer> missing = new ArrayList<>();
        if (!parts.isEmpty()) {
            // Bounded: a hostile header may claim Part999999999.
            for (int part = 1; part < parts.last() && missing.size() < 100; part++) {
                if (!parts.contains(part)) {
                    missing.add(part);
                }
            }
        }
        Instant time = dump.stream().map(Piece::time).filter(Objects::nonNull).min(Comparator.naturalOrder())
                .orElse(null);
        return new PstoreDump(newest.name().type(), newest.name().backend(),
                header != null ? header.reason() : null, header != null ? header.count() : null, time,
                oldestFirst.stream().map(p -> p.record().fileName()).toList(), missing, shared, lines);
    }

    /**
     * How many lines at the start of {@code newer} repeat the end of {@code older}: the longest such run
     * that holds a timestamped line, so that two parts never lose a line that merely looks the same.
     */
    static int overlap(List<RecordText.Line> older, List<RecordText.Line> newer) {
        int most = Math.min(MAX_SHARED, Math.min(older.size(), newer.size()));
        for (int k = most; k > 0; k--) {
            boolean same = true;
            boolean timestamped = false;
            for (int i = 0; i < k && same; i++) {
                RecordText.Line a = older.get(older.size() - k + i);
                RecordText.Line b = newer.get(i);
                same = a.raw().equals(b.raw());
                timestamped |= a.timestamped();
            }
            if (same && timestamped) {
                return k;
            }
        }
        return 0;
    }
}
