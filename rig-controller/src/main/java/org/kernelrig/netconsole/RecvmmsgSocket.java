package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The receive socket on Linux: a UDP socket made and read through the C
 * library, because Java's sockets offer neither of the two things that let
 * a receiver keep a fast burst whole.
 *
 * <ul>
 * <li>recvmmsg takes up to 64 datagrams in one system call, blocking until
 * the first arrives: one wake-up per batch instead of per datagram, and no
 * per-datagram cost in the JDK, so the receive thread keeps up with a sender
 * on the same machine from its first datagram, before the JIT has run.
 * <li>SO_RCVBUFFORCE grants a process that may use it (root, CAP_NET_ADMIN)
 * the receive buffer it asks for beyond net.core.rmem_max; others get what
 * rmem_max allows, as with SO_RCVBUF.
 * </ul>
 *
 * <p>Datagrams land in a fixed native area, {@link #KEPT_BYTES} per slot; a
 * larger one is cut there by the kernel, which still tells its true size
 * (MSG_TRUNC). The socket waits at most 100 ms (SO_RCVTIMEO), so the receive
 * thread sees its stop flag.
 */
final class RecvmmsgSocket implements ReceiveSocket {

    private static final int BATCH = 64;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int EINTR = 4;
    static final int EAGAIN = 11;
    private static final int EAFNOSUPPORT = 97;
    private static final int EADDRINUSE = 98;
    private static final int EADDRNOTAVAIL = 99;
    private static final Set<String> ARCHITECTURES = Set.of("x86-64", "x86", "aarch64", "arm", "riscv64",
            "loongarch64");
    private static Boolean available;
    /** Sockaddr room per slot: a sockaddr_in6 is 28 bytes. */
    private static final int NAME = 32;

    private final int fd;
    private final InetSocketAddress local;
    private final int granted;
    private final SocketDrops drops;
    private final int pointer = Native.POINTER_SIZE;
    /** mmsghdr: a msghdr of seven pointer-sized fields, then msg_len; padded to eight. */
    private final int messageSize = 8 * pointer;
    private final Memory messages = new Memory((long) BATCH * 8 * Native.POINTER_SIZE);
    private final Memory vectors = new Memory((long) BATCH * 2 * Native.POINTER_SIZE);
    private final Memory names = new Memory((long) BATCH * NAME);
    private final Memory data = new Memory((long) BATCH * KEPT_BYTES);
    // Views for reading without a native call per field.
    private final ByteBuffer messageView;
    private final ByteBuffer nameView;
    private final ByteBuffer dataView;
    private final byte[] addressBytes16 = new byte[16];
    private int lastFamily;
    private long lastHigh;
    private long lastLow;
    private int lastScope;
    private InetAddress lastAddress;
    private boolean closed;

    private RecvmmsgSocket(int fd, InetSocketAddress local, int granted) {
        this.fd = fd;
        this.local = local;
        this.granted = granted;
        this.drops = SocketDrops.ofDescriptor(fd);
        messages.clear();
        for (int i = 0; i < BATCH; i++) {
            long message = (long) i * messageSize;
            messages.setPointer(message, names.share((long) i * NAME));
            messages.setInt(message + pointer, NAME);
            messages.setPointer(message + 2L * pointer, vectors.share(2L * pointer * i));
            messages.setNativeLong(message + 3L * pointer, new NativeLong(1));
            vectors.setPointer(2L * pointer * i, data.share((long) i * KEPT_BYTES));
            vectors.setNativeLong(2L * pointer * i + pointer, new NativeLong(KEPT_BYTES));
        }
        messageView = messages.getByteBuffer(0, messages.size()).order(ByteOrder.nativeOrder());
        nameView = names.getByteBuffer(0, names.size()).order(ByteOrder.nativeOrder());
        dataView = data.getByteBuffer(0, data.size());
    }

    /**
     * Whether the C library can be called here: Linux on an architecture whose
     * socket constants are the generic ones above, and JNA's native part loads.
     * The system property rig.nioReceiver=true turns it off (Java's socket then).
     */
    static synchronized boolean available() {
        if (available == null) {
            boolean usable = false;
            try {
                usable = !Boolean.getBoolean("rig.nioReceiver") && Platform.isLinux()
                        && ARCHITECTURES.contains(Platform.ARCH) && Libc.strerror(EAGAIN) != null;
            } catch (LinkageError e) {
                // No native part for this machine, or it cannot be loaded (a noexec temporary folder).
            }
            available = usable;
        }
        return available;
    }

    static RecvmmsgSocket open(InetAddress bind, int port, int request) throws IOException {
        boolean ipv4 = bind instanceof Inet4Address;
        int fd = Libc.socket(ipv4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 && !ipv4 && bind == null && Native.getLastError() == EAFNOSUPPORT) {
            // A machine without IPv6: every IPv4 address, as Java's channel does.
            ipv4 = true;
            fd = Libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw failure("socket");
        }
        try {
            Memory value = new Memory(Math.max(4, 2L * Native.LONG_SIZE));
            if (!ipv4) {
                // Every address means both families, whatever the system's default is.
                value.setInt(0, bind == null || bind.isAnyLocalAddress() ? 0 : 1);
                Libc.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, value, 4);
            }
            value.setInt(0, request);
            if (Libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) != 0) {
                value.setInt(0, request);
                Libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
            }
            Memory length = new Memory(4);
            length.setInt(0, 4);
            value.setInt(0, 0);
            Libc.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, length);
            int granted = value.getInt(0);
            value.setNativeLong(0, new NativeLong(0));
            value.setNativeLong(Native.LONG_SIZE, new NativeLong(100_000));
            if (Libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, value, 2 * Native.LONG_SIZE) != 0) {
                throw failure("setting the receive time-out");
            }
            Memory address = new Memory(NAME);
            address.clear();
            int addressLength = ipv4 ? socketAddress4(address, bind, port) : socketAddress6(address, bind, port);
            if (Libc.bind(fd, address, addressLength) != 0) {
                int errno = Native.getLastError();
                String message = Libc.strerror(errno);
                if (errno == EADDRINUSE || errno == EADDRNOTAVAIL) {
                    throw new BindException(message);
                }
                throw new IOException(message);
            }
            length.setInt(0, NAME);
            address.clear();
            if (Libc.getsockname(fd, address, length) != 0) {
                throw failure("getsockname");
            }
            return new RecvmmsgSocket(fd, new InetSocketAddress(addressOf(address, 0),
                    Short.toUnsignedInt(Short.reverseBytes(address.getShort(2)))), granted);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private static IOException failure(String call) {
        return new IOException(call + ": " + Libc.strerror(Native.getLastError()));
    }

    private static int socketAddress4(Memory address, InetAddress bind, int port) {
        address.setShort(0, (short) AF_INET);
        address.setShort(2, Short.reverseBytes((short) port));
        if (bind != null) {
            address.write(4, bind.getAddress(), 0, 4);
        }
        return 16;
    }

    private static int socketAddress6(Memory address, InetAddress bind, int port) {
        address.setShort(0, (short) AF_INET6);
        address.setShort(2, Short.reverseBytes((short) port));
        if (bind != null && !bind.isAnyLocalAddress()) {
            address.write(8, bind.getAddress(), 0, 16);
            if (bind instanceof Inet6Address v6) {
                address.setInt(24, v6.getScopeId());
            }
        }
        return 28;
    }

    private static InetAddress addressOf(Pointer address, long offset) throws UnknownHostException {
        int family = address.getShort(offset);
        return family == AF_INET ? InetAddress.getByAddress(address.getByteArray(offset + 4, 4))
                : Inet6Address.getByAddress(null, address.getByteArray(offset + 8, 16), address.getInt(offset + 24));
    }

    @Override
    public int receive(Handler handler) throws IOException {
        return receive(handler, MSG_WAITFORONE);
    }

    @Override
    public int receiveWaiting(Handler handler) throws IOException {
        return receive(handler, MSG_DONTWAIT);
    }

    private int receive(Handler handler, int flags) throws IOException {
        int count = Libc.recvmmsg(fd, messages, BATCH, flags | MSG_TRUNC, null);
        if (count < 0) {
            int errno = Native.getLastError();
            if (errno == EAGAIN || errno == EINTR) {
                return 0;
            }
            throw new IOException("recvmmsg: " + Libc.strerror(errno));
        }
        for (int i = 0; i < count; i++) {
            int message = i * messageSize;
            // With MSG_TRUNC the kernel says the datagram's true size, also when the slot cut it.
            int size = messageView.getInt(message + 7 * pointer);
            messageView.putInt(message + pointer, NAME);
            int slot = i * KEPT_BYTES;
            dataView.limit(slot + Math.min(size, KEPT_BYTES)).position(slot);
            handler.datagram(sender(i * NAME), dataView, size);
            dataView.clear();
        }
        return count;
    }

    /** The sender of the datagram whose address is at this offset; the same object while the sender stays. */
    private InetAddress sender(int offset) throws UnknownHostException {
        int family = nameView.getShort(offset);
        long high;
        long low;
        int scope = 0;
        if (family == AF_INET) {
            high = nameView.getInt(offset + 4);
            low = 0;
        } else {
            high = nameView.getLong(offset + 8);
            low = nameView.getLong(offset + 16);
            scope = nameView.getInt(offset + 24);
        }
        if (lastAddress == null || family != lastFamily || high != lastHigh || low != lastLow || scope != lastScope) {
            lastFamily = family;
            lastHigh = high;
            lastLow = low;
            lastScope = scope;
            if (family == AF_INET) {
                byte[] four = new byte[4];
                nameView.get(offset + 4, four);
                lastAddress = InetAddress.getByAddress(four);
            } else {
                nameView.get(offset + 8, addressBytes16);
                lastAddress = PatientAddress.canonical(Inet6Address.getByAddress(null, addressBytes16, scope));
            }
        }
        return lastAddress;
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
        return "recvmmsg";
    }

    @Override
    public long kernelDrops() {
        return drops.read();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
