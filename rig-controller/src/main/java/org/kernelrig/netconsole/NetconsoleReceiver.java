package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.console.ConsoleSource;

/**
 * The doctor's netconsole receiver: listens on a UDP port, writes what each
 * patient sends to its own log (appended, flushed within milliseconds, each
 * line after its arrival time), then hands the lines to subscribers.
 *
 * <p>One thread only receives: it moves datagrams from the socket into a
 * bounded ring of memory and does nothing else, so the kernel's socket buffer
 * does not overflow while files are written. A second thread writes the logs
 * and decodes the lines (plain and extended netconsole, fragments joined,
 * sequence gaps counted). Subscribers are called on that second thread after
 * the lines are on disk.
 *
 * <p>Use: {@link #start()}, {@link #port()}, {@link #subscribe(String, Consumer)}
 * or {@link #awaitText}, {@link #statistics()}, {@link #close()}.
 */
public final class NetconsoleReceiver implements ConsoleSource {

    private final ReceiverSettings settings;
    private final LineSubscribers subscribers = new LineSubscribers();
    private ReceiveSocket socket;
    /** The kernel's drop count when the socket was closed; read live before. */
    private volatile long finalKernelDrops = -1;
    private volatile boolean socketClosed;
    private ReceiveLoop receiveLoop;
    private CaptureWriter writer;
    private ConsoleEcho echo;
    private Thread receiveThread;
    private Thread writerThread;
    private DatagramRing ring;
    private WriterDoorbell doorbell;
    private InetSocketAddress localAddress;
    private boolean closed;

    public NetconsoleReceiver(ReceiverSettings settings) {
        this.settings = settings;
    }

    /** Binds the port and starts receiving; returns once datagrams are being kept. */
    @Override
    public synchronized void start() throws LabException {
        if (socket != null) {
            throw new IllegalStateException("already started");
        }
        String where = describeBind();
        try {
            Files.createDirectories(settings.directory());
        } catch (IOException e) {
            throw new LabException("cannot create the log folder " + settings.directory() + ": " + e.getMessage(),
                    "choose a writable folder with --dir", e);
        }
        // The memory first: zeroing the ring takes tens of milliseconds, during which a bound socket would fill.
        ring = new DatagramRing(settings.memoryBytes());
        PatientLogs logs = new PatientLogs(settings.directory(), settings.maxOpenLogs());
        try {
            socket = ReceiveSocket.open(settings.bindAddress(), settings.port(), settings.receiveBufferRequest());
        } catch (BindException e) {
            throw new LabException("cannot listen on UDP " + where + ": " + e.getMessage(),
                    "another program holds the port (see: ss -ulpn 'sport = :" + settings.port()
                            + "'), or the address is not one of this machine's; choose another with --port or --bind",
                    e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new LabException("cannot listen on UDP " + where + ": " + e.getMessage(),
                    "check the bind address and that this machine has that address family", e);
        }
        localAddress = socket.localAddress();
        try {
            startThreads(localAddress.getPort(), logs);
        } catch (RuntimeException | Error e) {
            // A thread not started: the port is not left bound.
            closeQuietly();
            socket = null;
            throw e;
        }
    }

    private void startThreads(int port, PatientLogs logs) {
        AtomicReferenceArray<InetAddress> patients = new AtomicReferenceArray<>(settings.maxPatients());
        doorbell = new WriterDoorbell();
        receiveLoop = new ReceiveLoop(socket, ring, settings.allowed(), patients, doorbell);
        echo = settings.echo() == null ? null : new ConsoleEcho(settings.echo(), "netconsole-echo-" + port);
        writer = new CaptureWriter(ring, receiveLoop, doorbell, patients, logs, echo, subscribers,
                settings.historyLines());
        // The receive thread first: the socket is bound and may already be filling.
        receiveThread = new Thread(receiveLoop, "netconsole-receive-" + port);
        receiveThread.setDaemon(true);
        receiveThread.setPriority(Thread.MAX_PRIORITY);
        receiveThread.start();
        writerThread = new Thread(writer, "netconsole-write-" + port);
        writerThread.setDaemon(true);
        writerThread.start();
    }

    private String describeBind() {
        InetAddress bind = settings.bindAddress();
        String address = bind == null ? "*" : bind instanceof Inet4Address ? PatientAddress.text(bind)
                : "[" + PatientAddress.text(bind) + "]";
        return address + ":" + settings.port();
    }

    /** The bound UDP port (the one chosen when the settings asked for 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** The bound address and port. */
    public synchronized InetSocketAddress localAddress() {
        if (localAddress == null) {
            throw new IllegalStateException("the receiver has not started");
        }
        return localAddress;
    }

    /** The socket receive buffer the kernel granted, as it reports it (Linux reports twice the payload room). */
    public int receiveBufferBytes() {
        return socket.receiveBufferBytes();
    }

    /** How the socket is read: "recvmmsg", or "Java NIO" where the native call cannot be made. */
    public String receiveMethod() {
        return socket.method();
    }

    /** When the kernel granted less receive buffer than asked, what to do about it. */
    public Optional<String> receiveBufferAdvice() {
        int receiveBuffer = socket.receiveBufferBytes();
        if (receiveBuffer >= settings.receiveBufferRequest()) {
            return Optional.empty();
        }
        return Optional.of("the kernel granted a receive buffer of " + (receiveBuffer >> 10) + " KiB of the "
                + (settings.receiveBufferRequest() >> 10) + " KiB asked (limit net.core.rmem_max); a burst may "
                + "overflow it: raise it with sysctl -w net.core.rmem_max=" + settings.receiveBufferRequest());
    }

    /** Where a patient's log is written. */
    public Path logFile(String patient) {
        return PatientLogs.fileOf(settings.directory(), PatientAddress.parse(patient));
    }

    public Path directory() {
        return settings.directory();
    }

    /** Every line of every patient, on the writer thread, after it is on disk. */
    @Override
    public void subscribe(Consumer<ConsoleLine> subscriber) {
        subscribers.subscribe(subscriber);
    }

    /** Every line of one patient (an address literal such as {@code 10.0.2.15} or {@code fe80::1}). */
    public void subscribe(String patient, Consumer<ConsoleLine> subscriber) {
        subscribers.subscribe(PatientAddress.parse(patient), subscriber);
    }

    /**
     * Waits until a line containing the text has arrived from the patient,
     * among its recent lines or from now on; false when the limit passes first.
     */
    public boolean awaitText(String patient, String text, Duration limit) throws InterruptedException {
        InetAddress address = PatientAddress.parse(patient);
        requireStarted();
        LineSubscribers.Waiter waiter = new LineSubscribers.Waiter(address, text, new CountDownLatch(1));
        synchronized (writer.lock) {
            PatientCapture known = writer.find(address);
            if (known != null && known.recentlySaid(text)) {
                return true;
            }
            // Registered under the lock: a line is either in the history already or delivered later.
            subscribers.addWaiter(waiter);
        }
        try {
            return waiter.arrived().await(limit.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            subscribers.removeWaiter(waiter);
        }
    }

    /**
     * The last address whose datagrams were dropped because it is not on the
     * allow list, if any: a board sending from another address than rig
     * expects (NAT, a second interface, the other address family) shows here.
     */
    public java.util.Optional<InetAddress> lastForeignSender() {
        requireStarted();
        return java.util.Optional.ofNullable(receiveLoop.lastForeign());
    }

    public ReceiverStatistics statistics() {
        requireStarted();
        List<PatientStatistics> patients;
        synchronized (writer.lock) {
            patients = writer.patientStatistics();
        }
        return new ReceiverStatistics(receiveLoop.received(), kernelDrops(), receiveLoop.dropped(),
                receiveLoop.foreign(), receiveLoop.overLimit(), ring.used(), echo == null ? 0 : echo.skippedLines(),
                writer.writeErrors(), subscribers.failures(), patients);
    }

    /**
     * Datagrams the kernel dropped on the socket because its buffer was full,
     * before rig could read them (from the whole life of the socket, every
     * sender); -1 when this system cannot tell.
     */
    public long kernelDrops() {
        requireStarted();
        return socketClosed ? finalKernelDrops : socket.kernelDrops();
    }

    /** Datagrams the writer has handled so far: cheaper than {@link #statistics()}. */
    public long written() {
        requireStarted();
        return writer.written();
    }

    private void requireStarted() {
        if (writer == null) {
            throw new IllegalStateException("the netconsole receiver has not been started");
        }
    }

    /** Why writing a log failed last, if it did. */
    public Optional<IOException> lastWriteError() {
        requireStarted();
        return Optional.ofNullable(writer.lastWriteError());
    }

    /** Why receiving stopped before close(), if it did. */
    public Optional<IOException> receiveFailure() {
        requireStarted();
        return Optional.ofNullable(receiveLoop.failure());
    }

    /** Stops receiving, writes and flushes everything already received, and closes the logs. */
    @Override
    public synchronized void close() {
        if (closed || socket == null) {
            closed = true;
            return;
        }
        closed = true;
        receiveLoop.stop();
        try {
            receiveThread.join();
            finalKernelDrops = socket.kernelDrops();
            socketClosed = true;
            closeQuietly();
            doorbell.wakeUp();
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (echo != null) {
            echo.close();
        }
    }

    private void closeQuietly() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // Closing a datagram socket does not fail in a way worth reporting.
        }
    }
}
