package org.kernelrig.serial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A console served over TCP by a serial server such as ser2net: raw bytes,
 * or telnet (with RFC 2217 on the server's side) whose commands are taken out
 * by a {@link TelnetFilter}. The server closing the connection counts as a
 * lost link, so the console reconnects.
 */
public final class TcpSerialLink implements SerialLink {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String host;
    private final int port;
    private final boolean telnet;

    public TcpSerialLink(String host, int port, boolean telnet) {
        this.host = host;
        this.port = port;
        this.telnet = telnet;
    }

    @Override
    public Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
        return new TcpConnection(socket, telnet ? new TelnetFilter() : null);
    }

    @Override
    public String describe() {
        return (telnet ? "telnet://" : "tcp://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String reopenedWord() {
        return "reconnected";
    }

    @Override
    public String noun() {
        return "serial server connection";
    }

    private static final class TcpConnection implements Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final TelnetFilter filter;

        TcpConnection(Socket socket, TelnetFilter filter) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.filter = filter;
        }

        @Override
        public int read(byte[] buffer, long waitMillis) throws IOException {
            socket.setSoTimeout((int) Math.max(1, waitMillis));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return 0;
            }
            if (n < 0) {
                throw new IOException("the serial server closed the connection");
            }
            if (filter == null) {
                return n;
            }
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            int data = filter.filter(buffer, n, replies);
            if (replies.size() > 0) {
                synchronized (out) {
                    out.write(replies.toByteArray());
                    out.flush();
                }
            }
            return data;
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            byte[] escaped = bytes;
            if (filter != null) {
                ByteArrayOutputStream doubled = new ByteArrayOutputStream(bytes.length + 8);
                for (byte b : bytes) {
                    doubled.write(b);
                    if ((b & 0xff) == TelnetFilter.IAC) {
                        doubled.write(b);
                    }
                }
                escaped = doubled.toByteArray();
            }
            synchronized (out) {
                out.write(escaped);
                out.flush();
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket that is already broken: nothing to do
            }
        }
    }
}
