package org.kernelrig.serial;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.ConsoleSource;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.SerialSettings;

/**
 * A board's serial console as a witness: reads its {@link SerialLink}, appends
 * every byte to the raw log (written to the file before anything else sees it)
 * and hands the text lines to subscribers as {@link ConsoleLine.Source#SERIAL}
 * lines. Nothing is ever sent to the board unless {@link #send} is called.
 *
 * <p>When the link is lost (a USB adapter powered by the board goes away with
 * it, a serial server drops the connection at a reset), it is opened again,
 * polling with a growing delay, and the gap is marked in the raw log and in the
 * lines: {@code --- rig: serial port lost at T1; reopened at T2 ---}. A line
 * left unfinished for a while (a prompt, a crash cut short) is handed on as it
 * is, so the timeline does not wait for a line end that may never come.
 */
public final class SerialConsole implements ConsoleSource {

    /** How the link is opened again: the first delay, doubled after each failure up to the longest. */
    public record Reconnect(Duration firstDelay, Duration longestDelay) {
        public static final Reconnect DEFAULT = new Reconnect(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    /** A time the link was lost; {@code reopened} is null when it never came back before the end. */
    public record Gap(Instant lost, Instant reopened, String reason) {
    }

    public static final Duration DEFAULT_PARTIAL_LINE_DELAY = Duration.ofSeconds(2);
    private static final long READ_WAIT_MILLIS = 50;
    private static final System.Logger LOG = System.getLogger(SerialConsole.class.getName());

    private final String boardName;
    private final SerialLink link;
    private final Path rawLog;
    private final Reconnect reconnect;
    private final Duration partialLineDelay;
    private final LineAssembler assembler;
    private final Clock clock;
    private final List<Consumer<ConsoleLine>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<byte[]>> rawTaps = new CopyOnWriteArrayList<>();
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);

    private volatile SerialLink.Connection connection;
    private volatile long bytesReceived;
    private OutputStream log;
    private Thread reader;
    private boolean lastRawByteWasNewline = true;

    public SerialConsole(String boardName, SerialLink link, Path rawLog) {
        this(boardName, link, rawLog, Reconnect.DEFAULT, DEFAULT_PARTIAL_LINE_DELAY, LineAssembler.DEFAULT_MAX_LINE_BYTES);
    }

    public SerialConsole(String boardName, SerialLink link, Path rawLog, Reconnect reconnect,
            Duration partialLineDelay, int maxLineBytes) {
        this.boardName = Objects.requireNonNull(boardName);
        this.link = Objects.requireNonNull(link);
        this.rawLog = Objects.requireNonNull(rawLog);
        this.reconnect = Objects.requireNonNull(reconnect);
        this.partialLineDelay = Objects.requireNonNull(partialLineDelay);
        this.assembler = new LineAssembler(maxLineBytes);
        this.clock = Clock.systemUTC();
    }

    /** The link a board's serial settings describe; a virtual board's pty is known only once it runs. */
    public static SerialLink linkFor(Board board) throws LabException {
        SerialSettings settings = board.serialConsole().orElseThrow(() -> new LabException(
                "board " + board.name() + " has no serial console in its inventory file",
                "add serial: {device: /dev/serial/by-id/...} or serial: {tcp: host:port} to "
                        + board.file()));
        if (settings instanceof SerialSettings.Device device) {
            return new SerialPortLink(Path.of(device.path()), device.baud(), Framing.parse(device.framing()));
        }
        if (settings instanceof SerialSettings.Tcp tcp) {
            return new TcpSerialLink(tcp.host(), tcp.port(), tcp.telnet());
        }
        throw new LabException("board " + board.name() + " is virtual: its serial console is the pty its QEMU "
                + "creates when it starts", "start the virtual board and give its pty (e.g. --device /dev/pts/5)");
    }

    /** What the console reads, for messages. */
    public String describe() {
        return link.describe();
    }

    @Override
    public void subscribe(Consumer<ConsoleLine> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber));
    }

    /** Adds a listener of the raw log's bytes (after they reached it, gap markers included), e.g. a live terminal. */
    public void tapRaw(Consumer<byte[]> tap) {
        rawTaps.add(Objects.requireNonNull(tap));
    }

    /**
     * Opens the raw log and the link, then reads on a thread of its own. Fails
     * when the link cannot be opened now: a wrong path or address should not
     * pass for a board that happens to be off.
     */
    @Override
    public synchronized void start() throws LabException {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        try {
            Path parent = rawLog.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            lastRawByteWasNewline = !Files.exists(rawLog) || Files.size(rawLog) == 0;
            log = new FileOutputStream(rawLog.toFile(), true);
        } catch (IOException e) {
            throw new LabException("board " + boardName + ": cannot write the serial log " + rawLog + ": "
                    + e.getMessage(), "check that the folder exists and is writable", e);
        }
        try {
            connection = link.open();
        } catch (IOException e) {
            closeLog();
            throw new LabException("board " + boardName + ": cannot open the serial console " + link.describe() + ": "
                    + e.getMessage(), hint(), e);
        }
        reader = new Thread(this::readLoop, "serial-console-" + boardName);
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends bytes to the board, e.g. what a user types in {@code rig console}; never called by a run. */
    public void send(byte[] bytes) throws LabException {
        SerialLink.Connection current = connection;
        if (current == null) {
            throw new LabException("board " + boardName + ": the serial console " + link.describe() + " is not open");
        }
        try {
            current.write(bytes);
        } catch (IOException e) {
            throw new LabException("board " + boardName + ": cannot write to " + link.describe() + ": " + e.getMessage());
        }
    }

    /** False while the link is lost and being opened again. */
    public boolean connected() {
        return connection != null;
    }

    /** The bytes received so far. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** The times the link was lost, in order. */
    public List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            thread = reader;
        }
        stop.countDown();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeLog();
    }

    private void readLoop() {
        byte[] buffer = new byte[16 * 1024];
        Instant lastData = clock.instant();
        try {
            while (stop.getCount() > 0) {
                int n;
                try {
                    n = connection.read(buffer, READ_WAIT_MILLIS);
                } catch (IOException e) {
                    if (!reopen(e.getMessage())) {
                        return;
                    }
                    lastData = clock.instant();
                    continue;
                }
                Instant now = clock.instant();
                if (n > 0) {
                    received(buffer, n, now);
                    lastData = now;
                } else if (assembler.hasPartialLine()
                        && Duration.between(lastData, now).compareTo(partialLineDelay) >= 0) {
                    assembler.flush().ifPresent(this::deliver);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "board " + boardName + ": cannot write the serial log " + rawLog, e);
        } finally {
            SerialLink.Connection current = connection;
            if (current != null) {
                current.close();
            }
            assembler.flush().ifPresent(this::deliver);
        }
    }

    private void received(byte[] buffer, int n, Instant now) throws IOException {
        log.write(buffer, 0, n);
        log.flush();
        lastRawByteWasNewline = buffer[n - 1] == '\n';
        bytesReceived += n;
        if (!rawTaps.isEmpty()) {
            byte[] copy = java.util.Arrays.copyOf(buffer, n);
            for (Consumer<byte[]> tap : rawTaps) {
                safely(() -> tap.accept(copy));
            }
        }
        for (LineAssembler.Line line : assembler.feed(buffer, 0, n, now)) {
            deliver(line);
        }
    }

    /** Opens the link again after a loss; false when the console was closed first. */
    private boolean reopen(String reason) throws IOException {
        Instant lost = clock.instant();
        connection.close();
        connection = null;
        assembler.flush().ifPresent(this::deliver);
        long delay = reconnect.firstDelay().toMillis();
        while (true) {
            try {
                if (stop.await(delay, TimeUnit.MILLISECONDS)) {
                    mark(new Gap(lost, null, reason), "--- rig: " + link.noun() + " lost at " + lost + " (" + reason
                            + "); not " + link.reopenedWord() + " before the capture ended ---");
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                connection = link.open();
                Instant reopened = clock.instant();
                mark(new Gap(lost, reopened, reason), "--- rig: " + link.noun() + " lost at " + lost + "; "
                        + link.reopenedWord() + " at " + reopened + " ---");
                return true;
            } catch (IOException e) {
                delay = Math.min(delay * 2, reconnect.longestDelay().toMillis());
            }
        }
    }

    private void mark(Gap gap, String marker) throws IOException {
        gaps.add(gap);
        String text = (lastRawByteWasNewline ? "" : "\n") + marker + "\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.write(bytes);
        log.flush();
        lastRawByteWasNewline = true;
        for (Consumer<byte[]> tap : rawTaps) {
            safely(() -> tap.accept(bytes));
        }
        deliver(new LineAssembler.Line(gap.reopened() != null ? gap.reopened() : clock.instant(), marker));
    }

    private void deliver(LineAssembler.Line line) {
        ConsoleLine consoleLine = ConsoleLine.plain(line.start(), ConsoleLine.Source.SERIAL, line.text());
        for (Consumer<ConsoleLine> subscriber : subscribers) {
            safely(() -> subscriber.accept(consoleLine));
        }
    }

    private void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // one faulty subscriber must not end the capture for the others
            LOG.log(System.Logger.Level.WARNING, "board " + boardName + ": a serial console subscriber failed", e);
        }
    }

    private synchronized void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "board " + boardName + ": closing " + rawLog, e);
            }
            log = null;
        }
    }

    private String hint() {
        if (link instanceof TcpSerialLink) {
            return "is the serial server running and its port open? try: nc " + link.describe()
                    .replaceFirst("^\\w+://", "").replaceFirst(":(\\d+)$", " $1");
        }
        return "is the adapter plugged in and the path right? ls -l /dev/serial/by-id/; is another program "
                + "(minicom, screen, a getty) holding the port?";
    }
}
