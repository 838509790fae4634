package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The kernel's drop count of a socket, read from /proc/net/udp as Linux writes it. */
class SocketDropsTest {

    /** Rows as /proc/net/udp6 shows them on Debian 12 (the heading, then one socket a row). */
    private static final List<String> UDP6 = List.of(
            "  sl  local_address                         remote_address                        st tx_queue rx_queue"
                    + " tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
            " 1033: 00000000000000000000000000000000:1A0A 00000000000000000000000000000000:0000 07 00000000:00000000"
                    + " 00:00000000 00000000     0        0 417829 2 0000000000000000 129",
            " 4421: 00000000000000000000000001000000:4150 00000000000000000000000000000000:0000 07 00000000:00000000"
                    + " 00:00000000 00000000     0        0 417901 2 0000000000000000 0");

    @Test
    void theDropsOfTheSocketWithThatInode() {
        assertEquals(129, SocketDrops.dropsOf(417829, UDP6));
        assertEquals(0, SocketDrops.dropsOf(417901, UDP6));
        assertEquals(-1, SocketDrops.dropsOf(1, UDP6), "a socket not in the table is unknown, not zero");
    }

    @Test
    void theLocalPortOfARow() {
        assertEquals(6666, SocketDrops.localPort("00000000000000000000000000000000:1A0A"));
        assertEquals(16720, SocketDrops.localPort("0100007F:4150"));
        assertEquals(-1, SocketDrops.localPort("local_address"));
    }

    @Test
    void aSocketOfThisProcessIsFoundByItsPortAndStartsAtNoDrops() throws Exception {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            long drops = SocketDrops.ofLocalPort(port).read();
            assertTrue(drops == 0, "a new socket has dropped nothing: " + drops);
            assertEquals(-1, SocketDrops.ofLocalPort(1).read(), "port 1: no socket of ours");
        }
    }
}
