package org.kernelrig.netconsole;

import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a {@link NetconsoleReceiver} listens and where it writes.
 *
 * @param bindAddress           the local address; null for every address, IPv4 and IPv6
 * @param port                  the UDP port; 0 for any free one
 * @param directory             where the patients' logs go
 * @param allowed               the patients allowed to send, of either family; empty allows everyone
 * @param echo                  where to show lines as they arrive (like tee), or null for nowhere
 * @param receiveBufferRequest  the socket receive buffer asked of the kernel, in bytes
 * @param memoryBytes           the bound on datagrams held between receiving and writing
 * @param maxPatients           distinct senders tracked; datagrams from more are dropped and counted
 * @param maxOpenLogs           log files open at once
 * @param historyLines          recent lines kept per patient for {@link NetconsoleReceiver#awaitText}
 */
public record ReceiverSettings(InetAddress bindAddress, int port, Path directory, Set<InetAddress> allowed,
        OutputStream echo, int receiveBufferRequest, int memoryBytes, int maxPatients, int maxOpenLogs,
        int historyLines) {

    public static final int DEFAULT_PORT = 6666;
    public static final int DEFAULT_RECEIVE_BUFFER = 32 << 20;
    public static final int DEFAULT_MEMORY = 64 << 20;

    public ReceiverSettings {
        // An IPv4 patient written as ::ffff:a.b.c.d is the same patient.
        allowed = allowed.stream().map(PatientAddress::canonical).collect(Collectors.toUnmodifiableSet());
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxPatients < 1 || maxOpenLogs < 1 || historyLines < 0 || receiveBufferRequest < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Port 6666 on every address, everyone allowed, nothing echoed, logs in the directory. */
    public static ReceiverSettings defaults(Path directory) {
        return new ReceiverSettings(null, DEFAULT_PORT, directory, Set.of(), null, DEFAULT_RECEIVE_BUFFER,
                DEFAULT_MEMORY, 256, 64, 256);
    }

    public ReceiverSettings withBindAddress(InetAddress address) {
        return new ReceiverSettings(address, port, directory, allowed, echo, receiveBufferRequest, memoryBytes,
                maxPatients, maxOpenLogs, historyLines);
    }

    public ReceiverSettings withPort(int newPort) {
        return new ReceiverSettings(bindAddress, newPort, directory, allowed, echo, receiveBufferRequest, memoryBytes,
                maxPatients, maxOpenLogs, historyLines);
    }

    public ReceiverSettings withAllowed(Set<InetAddress> patients) {
        return new ReceiverSettings(bindAddress, port, directory, patients, echo, receiveBufferRequest, memoryBytes,
                maxPatients, maxOpenLogs, historyLines);
    }

    public ReceiverSettings withEcho(OutputStream out) {
        return new ReceiverSettings(bindAddress, port, directory, allowed, out, receiveBufferRequest, memoryBytes,
                maxPatients, maxOpenLogs, historyLines);
    }

    public ReceiverSettings withReceiveBuffer(int bytes) {
        return new ReceiverSettings(bindAddress, port, directory, allowed, echo, bytes, memoryBytes,
                maxPatients, maxOpenLogs, historyLines);
    }

    public ReceiverSettings withMemoryBytes(int bytes) {
        return new ReceiverSettings(bindAddress, port, directory, allowed, echo, receiveBufferRequest, bytes,
                maxPatients, maxOpenLogs, historyLines);
    }

    /** How many recent lines per patient {@code awaitText} can look back at; 0 makes no line objects nobody asked for. */
    public ReceiverSettings withHistoryLines(int lines) {
        return new ReceiverSettings(bindAddress, port, directory, allowed, echo, receiveBufferRequest, memoryBytes,
                maxPatients, maxOpenLogs, lines);
    }

    public ReceiverSettings withLimits(int patients, int openLogs) {
        return new ReceiverSettings(bindAddress, port, directory, allowed, echo, receiveBufferRequest, memoryBytes,
                patients, openLogs, historyLines);
    }
}
