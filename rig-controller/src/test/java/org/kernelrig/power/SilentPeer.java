package org.kernelrig.power;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback TCP port whose device has hung: the kernel completes the
 * connection (backlog) but nothing ever reads or answers.
 */
final class SilentPeer implements AutoCloseable {

    private final ServerSocket socket;

    SilentPeer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
