package org.kernelrig.netconsole;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The doctor's bound UDP socket as the receive thread sees it: datagrams
 * handed over in batches, with their sender and true size, and the kernel's
 * count of those it dropped because the socket's buffer was full.
 *
 * <p>On Linux it is read with recvmmsg ({@link RecvmmsgSocket}): dozens of
 * datagrams per system call, as a native receiver reads them, and a buffer
 * beyond net.core.rmem_max where the process may have one. Elsewhere, or
 * when the native call cannot be made, Java's own channel reads it
 * ({@link NioReceiveSocket}), one datagram per call.
 */
interface ReceiveSocket extends Closeable {

    /**
     * Bytes of a datagram kept: netconsole never sends more than 1000 in one,
     * so anything larger is no kernel's and only its beginning is worth a look.
     */
    int KEPT_BYTES = 2048;

    /** What the receive thread is handed for each datagram. */
    interface Handler {
        /**
         * @param sender the same object for consecutive datagrams of one sender, so that a change is cheap to see
         * @param data   the datagram's first {@code min(size, KEPT_BYTES)} bytes, from position to limit
         * @param size   the datagram's true size
         */
        void datagram(InetAddress sender, ByteBuffer data, int size);
    }

    /**
     * Hands every datagram waiting to the handler; when none waits, first
     * waits up to about 100 ms for one. Returns how many were handed over.
     */
    int receive(Handler handler) throws IOException;

    /** Hands over what the kernel holds now, without waiting; returns how many. */
    int receiveWaiting(Handler handler) throws IOException;

    InetSocketAddress localAddress();

    /** The receive buffer the kernel granted, as it reports it (Linux reports twice the payload room). */
    int receiveBufferBytes();

    /** How this socket is read, for a person: "recvmmsg" or "Java NIO". */
    String method();

    /** Datagrams the kernel dropped on this socket because its buffer was full; -1 when it cannot be told. */
    long kernelDrops();

    /**
     * Binds a socket: the native one where it works, else Java's.
     *
     * @param bind    the local address, null for every address of both families
     * @param request the receive buffer to ask for, in bytes
     */
    static ReceiveSocket open(InetAddress bind, int port, int request) throws IOException {
        if (RecvmmsgSocket.available()) {
            return RecvmmsgSocket.open(bind, port, request);
        }
        return NioReceiveSocket.open(bind, port, request);
    }
}
