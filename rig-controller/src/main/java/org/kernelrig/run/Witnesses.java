package org.kernelrig.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.board.LabBoard;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.Timeline;
import org.kernelrig.inventory.Board;
import org.kernelrig.netconsole.ActiveNetconsole;
import org.kernelrig.netconsole.NetconsolePlan;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.NetconsoleSetup;
import org.kernelrig.netconsole.ReceiverSettings;
import org.kernelrig.netconsole.ReceiverWarmUp;
import org.kernelrig.netconsole.SequenceTracker;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.report.ReportFolder;
import org.kernelrig.report.RunReport;
import org.kernelrig.serial.SerialConsole;

/**
 * Everything that tells a run what the kernel said: netconsole over UDP,
 * the serial console, and pstore read after the reboot, merged into one
 * timeline as they arrive. Each line of a live witness is written to disk
 * first, then merged, then shown to the capture watch.
 */
final class Witnesses {

    /** Gap ranges the sequence tracker keeps; its counts stay exact beyond. */
    private static final int GAP_RANGES = 1024;

    final Timeline timeline = new Timeline();
    final PstoreWitness pstore;
    private final Board board;
    private final ReportFolder folder;
    private final RunListener listener;
    private final AtomicLong netconsoleLines = new AtomicLong();
    private final AtomicLong serialLines = new AtomicLong();
    private final SequenceTracker sequences = new SequenceTracker(GAP_RANGES);
    private volatile CaptureWatch watch;
    private volatile boolean listening = true;
    private NetconsoleReceiver receiver;
    /** The doctor socket's count of datagrams the kernel dropped, when this run began to use it. */
    private long kernelDropsAtStart = -1;
    private String patientAddress;
    private LineCopy ownLog;
    private ActiveNetconsole active;
    private SerialConsole serial;

    Witnesses(Board board, ReportFolder folder, RunListener listener, RunLog log, Consumer<String> warn) {
        this.board = board;
        this.folder = folder;
        this.listener = listener;
        this.pstore = new PstoreWitness(board, folder, timeline, log, warn);
    }

    /** From now on every line also goes to {@code watch}, which decides when a capture is over. */
    void watchWith(CaptureWatch watch) {
        this.watch = watch;
    }

    /** True when a witness tells what the board says as it says it. */
    boolean live() {
        return receiver != null || serial != null;
    }

    private void merge(ConsoleLine line, ConsoleLine.Source source) {
        listener.lineReceived(source);
        timeline.add(line);
        CaptureWatch current = watch;
        if (current != null) {
            current.activity();
        }
    }

    /** Starts reading the serial console; empty, or why it is not read. */
    Optional<String> startSerial(LabBoard lab) throws LabException {
        Optional<SerialConsole> console = lab.serialConsole(folder.file("serial.log"));
        if (console.isEmpty()) {
            return Optional.of("the board has no serial console");
        }
        serial = console.get();
        serial.subscribe(line -> {
            serialLines.incrementAndGet();
            merge(line, ConsoleLine.Source.SERIAL);
        });
        serial.start();
        return Optional.empty();
    }

    String serialDescription() {
        return serial.describe();
    }

    /**
     * Listens for the board's netconsole (on the suite's doctor when there is
     * one), sets it up on the board and proves it with a marker; says how.
     */
    String startNetconsole(BoardLifecycle lifecycle, PatientFacts facts, NetconsoleReceiver shared, Duration handshake,
            Consumer<String> warn, RunLog log) throws LabException, InterruptedException {
        LabBoard lab = lifecycle.lab();
        SshPatient patient = lifecycle.shell();
        String doctor = lab.doctorAddress(facts);
        patientAddress = lab.patientAddress(facts);
        if (shared != null) {
            // The suite's doctor wrote each line to its own log first; this run keeps a copy of its lines.
            receiver = shared;
            ownLog = new LineCopy(folder.file("netconsole.log"));
        } else {
            ReceiverSettings settings = receiverSettings();
            ReceiverWarmUp.once(settings);
            NetconsoleReceiver own = new NetconsoleReceiver(settings);
            // kept only once it listens: a port held by another program is a lab error, and the report of
            // that run has no receiver to count from
            own.start();
            receiver = own;
        }
        kernelDropsAtStart = receiver.kernelDrops();
        receiver.subscribe(patientAddress, this::netconsoleLine);
        NetconsoleSetup setup = new NetconsoleSetup(patient);
        NetconsolePlan plan = setup.plan(board, facts, doctor);
        plan.warnings().forEach(warn);
        active = setup.configure(plan, facts.consoleLogLevel(), true);
        log.write("netconsole target " + plan.target() + " (" + active.method() + ")");
        long foreignBefore = receiver.statistics().foreign();
        Duration took;
        try {
            took = setup.prove(active, (text, limit) -> receiver.awaitText(patientAddress, text, limit), handshake);
        } catch (LabException e) {
            throw withForeignSender(e, receiver.statistics().foreign() - foreignBefore);
        }
        lifecycle.netconsoleProven();
        return String.format(Locale.ROOT, "%s, marker arrived after %d ms", active.method(), took.toMillis());
    }

    private void netconsoleLine(ConsoleLine line) {
        if (!listening) {
            return;
        }
        if (ownLog != null) {
            ownLog.append(line);
        }
        netconsoleLines.incrementAndGet();
        Long sequence = line.sequence();
        if (sequence != null) {
            long highest;
            SequenceTracker.Outcome seen;
            synchronized (sequences) {
                highest = sequences.highest();
                seen = sequences.observe(sequence);
            }
            if (seen == SequenceTracker.Outcome.GAP) {
                timeline.addGap(line.arrival(), ConsoleLine.Source.NETCONSOLE, "netconsole lost "
                        + (sequence - highest - 1) + " message(s), sequence " + (highest + 1)
                        + (sequence - highest > 2 ? "-" + (sequence - 1) : ""));
            }
        }
        merge(line, ConsoleLine.Source.NETCONSOLE);
    }

    /**
     * The failed handshake's diagnosis, told when the doctor did receive
     * datagrams meanwhile, but from an address it does not expect for this
     * board: the board's netconsole works and its lines come from elsewhere.
     */
    private LabException withForeignSender(LabException failed, long foreignDatagrams) {
        Optional<InetAddress> sender = receiver.lastForeignSender();
        if (foreignDatagrams <= 0 || sender.isEmpty()) {
            return failed;
        }
        return new LabException(failed.getMessage() + "; meanwhile the doctor dropped " + foreignDatagrams
                + " datagram(s) from " + sender.get().getHostAddress() + ", not the address it expects from board "
                + board.name() + " (" + patientAddress + ")",
                "if " + sender.get().getHostAddress() + " is the board (NAT, another interface, the other address "
                        + "family), set netconsole.source-ip in " + board.file() + "; else find who sends to port "
                        + board.doctor().port(), failed);
    }

    private ReceiverSettings receiverSettings() throws LabException {
        try {
            String listen = board.doctor().listen();
            InetAddress bind = listen == null || listen.equals("0.0.0.0") || listen.equals("::") ? null
                    : InetAddress.getByName(listen);
            return ReceiverSettings.defaults(folder.directory()).withBindAddress(bind)
                    .withPort(board.doctor().port()).withAllowed(Set.of(InetAddress.getByName(patientAddress)));
        } catch (IOException e) {
            throw new LabException("board " + board.name() + ": bad doctor address: " + e.getMessage());
        }
    }

    /** Takes down the netconsole this run set up, when the board still answers (a run stopped half-way). */
    void removeNetconsole(SshPatient shell) throws LabException {
        if (active != null && shell != null && shell.isConnected()) {
            new NetconsoleSetup(shell).remove(active);
        }
    }

    /** The netconsole this run set up, or null. */
    ActiveNetconsole activeNetconsole() {
        return active;
    }

    /**
     * Datagrams the kernel dropped on the doctor's socket since this run
     * began to use it, because its buffer was full: they never reached rig.
     * The socket's count, so in a suite it covers the boards sharing it.
     * -1 when this system cannot tell.
     */
    long lostBeforeRead() {
        long now = receiver == null ? -1 : receiver.kernelDrops();
        return now < 0 || kernelDropsAtStart < 0 ? -1 : now - kernelDropsAtStart;
    }

    RunReport.WitnessStats netconsoleStats(boolean enabled) {
        if (receiver == null) {
            return RunReport.WitnessStats.disabled(enabled ? "not started" : "turned off");
        }
        Map<String, Long> counters = new LinkedHashMap<>(ReceiverCounters.of(receiver, patientAddress));
        long lost = lostBeforeRead();
        if (lost >= 0) {
            counters.put(ReceiverCounters.LOST_BEFORE_READ, lost);
        }
        return new RunReport.WitnessStats(true, netconsoleLines.get(), counters,
                lost > 0 ? Verdict.lossNote(lost) : null);
    }

    RunReport.WitnessStats serialStats(boolean enabled) {
        if (serial == null) {
            return RunReport.WitnessStats.disabled(enabled ? "no serial console" : "turned off");
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("bytes", serial.bytesReceived());
        counters.put("reopened", (long) serial.gaps().size());
        return new RunReport.WitnessStats(true, serialLines.get(), counters, null);
    }

    /** Stops the live witnesses, their logs complete in the run's folder. */
    void stop() throws IOException {
        CaptureWatch current = watch;
        if (current != null) {
            current.stop();
        }
        if (serial != null) {
            serial.close();
        }
        listening = false;
        if (ownLog != null) {
            ownLog.close();
        } else if (receiver != null) {
            receiver.close();
            Path own = receiver.logFile(patientAddress);
            if (Files.exists(own)) {
                Files.move(own, folder.file("netconsole.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
