package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * The receive socket where recvmmsg cannot be called: Java's own channel,
 * one datagram per call.
 *
 * <p>The channel is non-blocking. While datagrams flow, the thread empties
 * the socket, then pauses 50 µs (longer, up to 1 ms, while it finds the
 * socket empty) and empties it again: the kernel never has to wake it for
 * each datagram, which would cost the sender and the receiver more than the
 * receiving. After 5 ms without datagrams it waits on a selector.
 */
final class NioReceiveSocket implements ReceiveSocket {

    private static final long POLL_PAUSE_NANOS = 50_000;
    private static final long MAX_POLL_PAUSE_NANOS = 1_000_000;
    private static final long POLL_WINDOW_NANOS = 5_000_000;
    /** Datagrams taken at most in one call, so that the caller looks at its stop flag now and then. */
    private static final int BATCH = 4096;

    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress local;
    private final int granted;
    private final SocketDrops drops;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(65536);
    private SocketAddress lastSender;
    private InetAddress lastAddress;
    private long lastDatagram = System.nanoTime() - POLL_WINDOW_NANOS;
    private long pause = POLL_PAUSE_NANOS;

    private NioReceiveSocket(DatagramChannel channel, int granted) throws IOException {
        this.channel = channel;
        this.granted = granted;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.drops = SocketDrops.ofLocalPort(local.getPort());
    }

    static NioReceiveSocket open(InetAddress bind, int port, int request) throws IOException {
        DatagramChannel channel = bind instanceof Inet4Address ? DatagramChannel.open(StandardProtocolFamily.INET)
                : bind == null || bind.isAnyLocalAddress() ? DatagramChannel.open()
                : DatagramChannel.open(StandardProtocolFamily.INET6);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, request);
            int granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            channel.bind(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port));
            return new NioReceiveSocket(channel, granted);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int receive(Handler handler) throws IOException {
        int taken = receiveWaiting(handler);
        long now = System.nanoTime();
        if (taken > 0) {
            lastDatagram = now;
            pause = POLL_PAUSE_NANOS;
        } else if (now - lastDatagram < POLL_WINDOW_NANOS) {
            // Datagrams are flowing: let some gather, then take them all; a trickle lengthens the pause.
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_POLL_PAUSE_NANOS);
        } else {
            selector.select(100);
            selector.selectedKeys().clear();
            lastDatagram = System.nanoTime();
        }
        return taken;
    }

    @Override
    public int receiveWaiting(Handler handler) throws IOException {
        int taken = 0;
        while (taken < BATCH) {
            scratch.clear();
            SocketAddress sender = channel.receive(scratch);
            if (sender == null) {
                break;
            }
            // The JDK hands back the same address object for consecutive datagrams of one sender.
            if (sender != lastSender) {
                lastSender = sender;
                lastAddress = PatientAddress.canonical(((InetSocketAddress) sender).getAddress());
            }
            int size = scratch.position();
            scratch.flip().limit(Math.min(size, KEPT_BYTES));
            handler.datagram(lastAddress, scratch, size);
            taken++;
        }
        return taken;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int receiveBufferBytes() {
        return granted;
    }

    @Override
    public String method() {
        return "Java NIO";
    }

    @Override
    public long kernelDrops() {
        return drops.read();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
