package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ways of reading the doctor's socket, against real datagrams on
 * loopback: the native one (recvmmsg) and Java's, which stands in where the
 * native call cannot be made. They must hand over the same thing.
 */
class ReceiveSocketTest {

    private record Received(InetAddress sender, byte[] kept, int size) {
    }

    private static ReceiveSocket open(String kind, InetAddress bind) throws IOException {
        if (kind.equals("recvmmsg")) {
            assertTrue(RecvmmsgSocket.available(), "recvmmsg is available on this Linux machine");
            return RecvmmsgSocket.open(bind, 0, 1 << 20);
        }
        return NioReceiveSocket.open(bind, 0, 1 << 20);
    }

    /** Receives until {@code count} datagrams have come (each call waits at most about 100 ms). */
    private static List<Received> receive(ReceiveSocket socket, int count) throws IOException {
        List<Received> all = new ArrayList<>();
        ReceiveSocket.Handler handler = (sender, data, size) -> {
            byte[] kept = new byte[data.remaining()];
            data.get(kept);
            all.add(new Received(sender, kept, size));
        };
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (all.size() < count && System.nanoTime() < deadline) {
            socket.receive(handler);
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"recvmmsg", "nio"})
    void datagramsComeInOrderWithTheirSenderAndTrueSizeAndAGiantOnlyItsBeginning(String kind) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ReceiveSocket socket = open(kind, null);
                DatagramSocket board = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            assertTrue(socket.receiveBufferBytes() > 0);
            int port = socket.localAddress().getPort();
            byte[] giant = new byte[65_507];
            Arrays.fill(giant, (byte) 'g');
            List<byte[]> sent = List.of("first\n".getBytes(), new byte[0], giant, "last\n".getBytes());
            for (byte[] datagram : sent) {
                board.send(new DatagramPacket(datagram, datagram.length, loopback, port));
            }

            List<Received> received = receive(socket, sent.size());
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                byte[] datagram = sent.get(i);
                assertEquals(datagram.length, received.get(i).size(), "true size of datagram " + i);
                assertArrayEquals(Arrays.copyOf(datagram, Math.min(datagram.length, ReceiveSocket.KEPT_BYTES)),
                        received.get(i).kept());
                // An IPv4 sender to a socket of both families is named by its IPv4 address, one object throughout.
                assertEquals(loopback, received.get(i).sender());
                assertSame(received.get(0).sender(), received.get(i).sender());
            }
            assertEquals(0, socket.receiveWaiting((sender, data, size) -> { }), "nothing more waits");
            assertEquals(0, socket.kernelDrops());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"recvmmsg", "nio"})
    void anIpv6SocketNamesItsIpv6Senders(String kind) throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");
        try (ReceiveSocket socket = open(kind, loopback);
                DatagramSocket board = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            assertEquals(loopback, socket.localAddress().getAddress());
            byte[] line = "over IPv6\n".getBytes();
            board.send(new DatagramPacket(line, line.length, loopback, socket.localAddress().getPort()));
            Received received = receive(socket, 1).get(0);
            assertEquals(loopback, received.sender());
            assertArrayEquals(line, received.kept());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"recvmmsg", "nio"})
    void aPortInUseIsABindException(String kind) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            if (kind.equals("recvmmsg")) {
                assertThrows(BindException.class, () -> RecvmmsgSocket.open(loopback, taken.getLocalPort(), 1 << 20));
            } else {
                assertThrows(BindException.class, () -> NioReceiveSocket.open(loopback, taken.getLocalPort(), 1 << 20));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"recvmmsg", "nio"})
    void aWaitWithNothingToReceiveEndsSoon(String kind) throws Exception {
        try (ReceiveSocket socket = open(kind, InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertEquals(0, socket.receive((sender, data, size) -> { }));
            }
            // The receive thread must see its stop flag: an empty wait ends (about 100 ms), it never blocks for good.
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "waits end");
        }
    }
}
