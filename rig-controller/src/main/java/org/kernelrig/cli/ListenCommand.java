package org.kernelrig.cli;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.kernelrig.LabException;
import org.kernelrig.config.Durations;
import org.kernelrig.config.Sizes;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.PatientAddress;
import org.kernelrig.netconsole.ReceiverSettings;
import org.kernelrig.netconsole.ReceiverWarmUp;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig listen}: receives netconsole until Ctrl-C, one log per patient. */
@Command(name = "listen", mixinStandardHelpOptions = true, description = {
    "Receive netconsole over UDP until Ctrl-C, one log per board, losing nothing.",
    "Each patient's lines are appended to DIR/netconsole-<address>.log after their arrival time (UTC), and "
        + "shown here unless --quiet.",
    "Plain and extended (+) netconsole; extended records are checked for lost sequence numbers."})
final class ListenCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6666",
            description = "UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", converter = AddressConverter.class,
            description = "Local address to listen on, IPv4 or IPv6 (default: every address, IPv4 and IPv6; "
                    + "0.0.0.0 is every IPv4 address only).")
    InetAddress bind;

    @Option(names = "--allow", paramLabel = "ADDR", converter = AddressConverter.class,
            description = "Accept datagrams only from this patient, an IPv4 or IPv6 address; repeat for more. "
                    + "Others are counted and dropped.")
    List<InetAddress> allow = List.of();

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Folder of the logs (default: the current folder).")
    Path dir;

    @Option(names = "--quiet", description = "Do not show the lines here; only write the logs.")
    boolean quiet;

    @Option(names = "--stats-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Print the counters this often, e.g. 10s (default: only at the end).")
    Duration statsInterval;

    @Option(names = "--receive-buffer", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "32M",
            description = "Socket receive buffer to ask the kernel for (default: ${DEFAULT-VALUE}). Granted in full "
                    + "to root; others get at most net.core.rmem_max.")
    long receiveBuffer;

    @Option(names = "--memory", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "64M",
            description = "Memory for datagrams waiting to be written (default: ${DEFAULT-VALUE}); beyond it they "
                    + "are dropped and counted.")
    long memory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws LabException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("rig listen: --port must be 0..65535, got " + port);
            return ExitCodes.INVALID;
        }
        if (memory < 1 << 20 || memory > 1L << 30) {
            err.println("rig listen: --memory must be 1M..1G, got " + Sizes.format(memory));
            return ExitCodes.INVALID;
        }
        if (receiveBuffer < 4 << 10 || receiveBuffer > 1L << 30) {
            err.println("rig listen: --receive-buffer must be 4K..1G, got " + Sizes.format(receiveBuffer));
            return ExitCodes.INVALID;
        }
        ReceiverSettings settings = ReceiverSettings.defaults(dir.toAbsolutePath().normalize())
                .withReceiveBuffer((int) receiveBuffer).withPort(port).withBindAddress(bind).withAllowed(new HashSet<>(allow))
                .withEcho(quiet ? null : System.out).withMemoryBytes((int) memory)
                .withHistoryLines(0); // nobody awaits a text here: no line objects, less garbage in a burst
        ReceiverWarmUp.once(settings);
        NetconsoleReceiver receiver = new NetconsoleReceiver(settings);
        receiver.start();
        // Stopping is set up before anything is said, so a stop right after the first message is clean.
        CountDownLatch stopped = new CountDownLatch(1);
        Thread finish = new Thread(() -> {
            receiver.close();
            err.println("rig listen: stopped; " + receiver.statistics().describe());
            err.flush();
            stopped.countDown();
        }, "rig-listen-stop");
        Runtime.getRuntime().addShutdownHook(finish);

        err.println("rig listen: receiving netconsole on UDP " + describe(receiver) + "; logs go to "
                + settings.directory().resolve("netconsole-<address>.log"));
        err.println("rig listen: receive buffer " + (receiver.receiveBufferBytes() >> 10) + " KiB (asked "
                + (settings.receiveBufferRequest() >> 10) + " KiB), read with " + receiver.receiveMethod()
                + (allow.isEmpty() ? "" : "; allowed: " + allow.stream().map(PatientAddress::text)
                        .collect(Collectors.joining(", "))));
        receiver.receiveBufferAdvice().ifPresent(advice -> err.println("rig listen: warning: " + advice));
        err.println("rig listen: Ctrl-C to stop");
        err.flush();


        long intervalNanos = statsInterval == null || statsInterval.isZero() ? Long.MAX_VALUE : statsInterval.toNanos();
        while (!stopped.await(Math.min(intervalNanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
            if (receiver.receiveFailure().isPresent()) {
                Runtime.getRuntime().removeShutdownHook(finish);
                receiver.close();
                err.println(receiver.statistics().describe());
                throw new LabException("receiving stopped: " + receiver.receiveFailure().get().getMessage());
            }
            if (intervalNanos != Long.MAX_VALUE && dueForStatistics(intervalNanos)) {
                err.println("rig listen: " + receiver.statistics().describe());
                err.flush();
            }
        }
        return ExitCodes.OK;
    }

    private long lastStatistics = System.nanoTime();

    private boolean dueForStatistics(long intervalNanos) {
        long now = System.nanoTime();
        if (now - lastStatistics >= intervalNanos) {
            lastStatistics = now;
            return true;
        }
        return false;
    }

    private static String describe(NetconsoleReceiver receiver) {
        InetAddress address = receiver.localAddress().getAddress();
        String text = address.isAnyLocalAddress() ? "*" : PatientAddress.text(address);
        String every = address instanceof Inet4Address ? " (every IPv4 address; --bind :: for IPv6 too)"
                : " (every address, IPv4 and IPv6)";
        return (text.contains(":") ? "[" + text + "]" : text) + ":" + receiver.port()
                + (address.isAnyLocalAddress() ? every : "");
    }

    /** An IP address literal; no name is resolved. */
    static final class AddressConverter implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return PatientAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (write an IPv4 or IPv6 address, e.g. 10.0.2.15)");
            }
        }
    }

    /** A duration such as 10s or 1m. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not a duration (write e.g. 500ms, 10s, 1m)"));
        }
    }

    /** A size such as 64M. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Sizes.parse(value).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not a size (write e.g. 64M, 1G)"));
        }
    }
}
