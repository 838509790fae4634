package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import org.kernelrig.console.ConsoleLine;
import org.kernelrig.netconsole.ExtendedDatagram.Header;

/**
 * The writer thread's work: take datagrams from the ring in batches, append
 * them to their patient's log with their arrival time, write the batch to
 * the files, and only then decode lines for subscribers and the terminal.
 * Everything here runs on one thread; {@link #lock} guards the patients'
 * state against {@link #statistics} from other threads.
 */
final class CaptureWriter implements Runnable {

    private static final int BATCH_RECORDS = 8192;
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** The longest sleep when nothing arrives: the period of housekeeping. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SMALL_BATCH = 1024;
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long PARTIAL_LINE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A line decoded in this batch, handed out once the batch is on disk. */
    private record Decoded(InetAddress patient, ConsoleLine line) {
    }

    final Object lock = new Object();
    private final DatagramRing ring;
    private final ReceiveLoop receiver;
    private final AtomicReferenceArray<InetAddress> addresses;
    private final PatientLogs logs;
    private final ConsoleEcho echo;
    private final LineSubscribers subscribers;
    private final int historyLines;

    private final PatientCapture[] patients;
    private final List<PatientCapture> inOrder = new ArrayList<>();
    private final List<PatientCapture> dirty = new ArrayList<>();
    private final List<Decoded> decoded = new ArrayList<>();
    private final DatagramRing.Record record = new DatagramRing.Record();
    private final ArrivalStamp stamps = new ArrivalStamp();
    private final ByteSink echoText = new ByteSink(64 * 1024);
    private int echoLines;
    private long lastHousekeeping = System.nanoTime();
    private long writeErrors;
    /** Datagrams handled, for {@link #written()}; written on this thread only. */
    private volatile long written;
    private IOException lastWriteError;
    private final WriterDoorbell doorbell;

    CaptureWriter(DatagramRing ring, ReceiveLoop receiver, WriterDoorbell doorbell,
            AtomicReferenceArray<InetAddress> addresses, PatientLogs logs, ConsoleEcho echo,
            LineSubscribers subscribers, int historyLines) {
        this.ring = ring;
        this.doorbell = doorbell;
        this.receiver = receiver;
        this.addresses = addresses;
        this.logs = logs;
        this.echo = echo;
        this.subscribers = subscribers;
        this.historyLines = historyLines;
        this.patients = new PatientCapture[addresses.length()];
    }

    @Override
    public void run() {
        doorbell.writerIs(Thread.currentThread());
        ThreadPriority.forWriter();
        while (true) {
            boolean receiverFinished = receiver.finished();
            int taken = batch(false);
            if (taken == 0) {
                if (receiverFinished) {
                    break;
                }
                doorbell.sleepUnlessQueued(ring, IDLE_PARK_NANOS);
            } else if (taken < SMALL_BATCH && !receiverFinished) {
                // A trickle, or the start of a burst: let a batch gather rather than write per datagram.
                LockSupport.parkNanos(GATHER_NANOS);
            }
        }
        batch(true);
        synchronized (lock) {
            try {
                logs.close();
            } catch (IOException e) {
                writeErrors++;
                lastWriteError = e;
            }
        }
    }

    /** One batch: take, write, flush, then hand out the lines. At the end, unfinished lines are handed out too. */
    private int batch(boolean last) {
        int taken = 0;
        synchronized (lock) {
            long start = System.nanoTime();
            while (taken < BATCH_RECORDS && ring.take(record)) {
                try {
                    process(record, start);
                } catch (RuntimeException e) {
                    // A datagram no decoder foresaw must not stop the capture of the others.
                    patient(record.sender).malformed++;
                }
                taken++;
                if ((taken & 255) == 0 && System.nanoTime() - start > BATCH_NANOS) {
                    break;
                }
            }
            if (taken > 0) {
                ring.release();
                written += taken;
            }
            writeDirty();
            long now = System.nanoTime();
            if (last || now - lastHousekeeping > HOUSEKEEPING_NANOS) {
                lastHousekeeping = now;
                housekeeping(now, last);
            }
        }
        for (Decoded line : decoded) {
            subscribers.deliver(line.patient(), line.line());
        }
        decoded.clear();
        if (echo != null && echoText.length() > 0) {
            echo.offer(echoText.copy(), echoLines);
            echoText.clear();
            echoText.trim(64 * 1024);
            echoLines = 0;
        }
        return taken;
    }

    private void process(DatagramRing.Record datagram, long nowNanos) {
        PatientCapture patient = patient(datagram.sender);
        patient.datagrams++;
        patient.bytes += datagram.length;
        if (datagram.size > datagram.length) {
            writeOversized(patient, datagram);
            return;
        }
        // Most console text is printable ASCII: it goes to disk as it came, without a copy.
        byte[] clean = datagram.data;
        int length = datagram.length;
        String text = null;
        if (!DatagramText.isPlainAscii(clean, 0, length)) {
            text = DatagramText.sanitize(clean, 0, length);
            clean = text.getBytes(StandardCharsets.UTF_8);
            length = clean.length;
        }
        ExtendedDatagram parsed = ExtendedRecordDecoder.decode(datagram.data, 0, datagram.length);
        boolean extended = !(parsed instanceof ExtendedDatagram.Plain);
        int newlines = writeToLog(patient, clean, length, stamps.format(datagram.arrivalMicros), extended);

        long arrival = datagram.arrivalMicros;
        if (parsed instanceof ExtendedDatagram.Header header) {
            byte[] body = header.body();
            if (header.fragment() != null) {
                body = patient.fragments.add(header, nowNanos);
                if (body == null) {
                    return;
                }
            }
            ExtendedRecord whole = ExtendedRecordDecoder.record(header, body);
            patient.sequence.observe(whole.sequence());
            for (String line : whole.lines()) {
                emit(patient, new ConsoleLine(ArrivalStamp.toInstant(arrival), ConsoleLine.Source.NETCONSOLE, line,
                        whole.level(), whole.sequence(), whole.timestampMicros()));
            }
        } else if (parsed instanceof ExtendedDatagram.Malformed) {
            patient.malformed++;
        } else if (linesWanted(patient)) {
            if (text == null) {
                text = new String(clean, 0, length, StandardCharsets.ISO_8859_1);
            }
            patient.plain.accept(text, nowNanos, line -> emit(patient, plainLine(arrival, line)));
        } else {
            // Nobody reads this patient's lines: count them, make no objects.
            patient.lines += newlines;
        }
    }

    /**
     * A datagram larger than netconsole ever sends is no kernel's line: its
     * kept beginning goes to the log as a line of its own, with what was cut,
     * and nothing is decoded from it.
     */
    private void writeOversized(PatientCapture patient, DatagramRing.Record datagram) {
        patient.oversized++;
        byte[] stamp = stamps.format(datagram.arrivalMicros);
        String kept = DatagramText.sanitize(datagram.data, 0, datagram.length).replace('\n', ' ');
        byte[] line = (kept + " [rig: a datagram of " + datagram.size + " bytes, larger than netconsole sends;"
                + " only its first " + datagram.length + " kept]").getBytes(StandardCharsets.UTF_8);
        writeToLog(patient, line, line.length, stamp, true);
    }

    /** Lines are made into objects only when someone may read them. */
    private boolean linesWanted(PatientCapture patient) {
        return historyLines > 0 || subscribers.wants(patient.address);
    }

    private static ConsoleLine plainLine(long arrivalMicros, String line) {
        return new ConsoleLine(ArrivalStamp.toInstant(arrivalMicros), ConsoleLine.Source.NETCONSOLE, line, null, null,
                PlainLineAssembler.kernelTimeMicros(line));
    }

    private void emit(PatientCapture patient, ConsoleLine line) {
        patient.remember(line);
        decoded.add(new Decoded(patient.address, line));
    }

    /**
     * Appends the datagram's text, each line after its arrival time, and says
     * how many lines it ended. Plain text may end mid-line and continue in the
     * next datagram; an extended datagram always makes whole lines of its own.
     */
    private int writeToLog(PatientCapture patient, byte[] text, int length, byte[] stamp, boolean extended) {
        int newlines = 0;
        ByteSink disk = patient.disk;
        if (extended && !patient.atLineStart) {
            disk.append((byte) '\n');
            if (echo != null) {
                echoText.append((byte) '\n');
            }
            patient.atLineStart = true;
        }
        boolean several = inOrder.size() > 1;
        int start = 0;
        while (start < length) {
            if (patient.atLineStart) {
                disk.append(stamp, 0, ArrivalStamp.LENGTH);
                if (echo != null) {
                    if (several) {
                        echoText.appendUtf8(patient.name);
                        echoText.append((byte) ' ');
                    }
                    echoText.append(stamp, 0, ArrivalStamp.LENGTH);
                    echoLines++;
                }
            }
            int newline = indexOf(text, (byte) '\n', start, length);
            int end = newline < 0 ? length : newline + 1;
            disk.append(text, start, end - start);
            if (echo != null) {
                echoText.append(text, start, end - start);
            }
            patient.atLineStart = newline >= 0;
            if (newline >= 0) {
                newlines++;
            }
            start = end;
        }
        if (extended && !patient.atLineStart) {
            disk.append((byte) '\n');
            if (echo != null) {
                echoText.append((byte) '\n');
            }
            patient.atLineStart = true;
        }
        if (!patient.dirty) {
            patient.dirty = true;
            dirty.add(patient);
        }
        if (disk.length() > 1 << 20) {
            writeDirty();
        }
        return newlines;
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void writeDirty() {
        for (PatientCapture patient : dirty) {
            try {
                logs.append(patient.log, patient.disk.array(), patient.disk.length());
            } catch (IOException e) {
                writeErrors++;
                lastWriteError = e;
            }
            patient.disk.clear();
            patient.disk.trim(16 * 1024);
            patient.dirty = false;
        }
        dirty.clear();
    }

    /** Hands out lines left unfinished too long, and gives up fragmented messages too old. */
    private void housekeeping(long nowNanos, boolean last) {
        for (PatientCapture patient : inOrder) {
            if (patient.plain.hasPartial()
                    && (last || nowNanos - patient.plain.partialSinceNanos() > PARTIAL_LINE_WAIT_NANOS)) {
                long arrival = System.currentTimeMillis() * 1000;
                patient.plain.flush(line -> emit(patient, plainLine(arrival, line)));
            }
            patient.fragments.expire(nowNanos);
        }
    }

    private PatientCapture patient(int number) {
        PatientCapture patient = patients[number];
        if (patient == null) {
            InetAddress address = addresses.get(number);
            patient = new PatientCapture(address, logs.fileOf(address), historyLines);
            patients[number] = patient;
            inOrder.add(patient);
        }
        return patient;
    }

    /** The patient with this address, or null; call with {@link #lock} held. */
    PatientCapture find(InetAddress address) {
        for (PatientCapture patient : inOrder) {
            if (patient.address.equals(address)) {
                return patient;
            }
        }
        return null;
    }

    /** Call with {@link #lock} held. */
    List<PatientStatistics> patientStatistics() {
        List<PatientStatistics> all = new ArrayList<>(inOrder.size());
        for (PatientCapture patient : inOrder) {
            all.add(patient.statistics());
        }
        return all;
    }

    /** Datagrams handled so far; read from any thread. */
    long written() {
        return written;
    }

    long writeErrors() {
        synchronized (lock) {
            return writeErrors;
        }
    }

    IOException lastWriteError() {
        synchronized (lock) {
            return lastWriteError;
        }
    }
}
