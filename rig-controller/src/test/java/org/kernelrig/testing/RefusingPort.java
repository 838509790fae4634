package org.kernelrig.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback TCP port where nothing listens, held for as long as the test
 * needs it: the socket is bound but never listens, so the kernel refuses
 * every connection and no other program can take the port meanwhile (as it
 * could after closing a server socket).
 */
public final class RefusingPort implements AutoCloseable {

    private final Socket socket = new Socket();

    public RefusingPort() throws IOException {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
