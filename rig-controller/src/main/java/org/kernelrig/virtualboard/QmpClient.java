package org.kernelrig.virtualboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.kernelrig.LabException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A connection to QEMU's machine protocol (QMP) on a unix socket: one JSON
 * object a line each way. Events the machine sends between answers are
 * skipped. Every wait has a time limit.
 */
public final class QmpClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Marks the end of the stream in the queue of messages. */
    private static final JsonNode CLOSED = JSON.createObjectNode().put("closed", true);
    private static final int MAX_LINE = 1 << 20;

    private final Path socket;
    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final Duration timeout;

    private QmpClient(Path socket, SocketChannel channel, Duration timeout) {
        this.socket = socket;
        this.channel = channel;
        this.timeout = timeout;
        Thread reader = new Thread(this::readMessages, "qmp-" + socket.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects, reads the greeting and leaves capabilities negotiation mode. */
    public static QmpClient connect(Path socket, Duration timeout) throws LabException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new LabException("cannot connect to QEMU's QMP socket " + socket + ": " + e.getMessage());
        }
        QmpClient client = new QmpClient(socket, channel, timeout);
        try {
            JsonNode greeting = client.next();
            if (!greeting.has("QMP")) {
                throw new LabException("QMP socket " + socket + " greeted with " + greeting + " instead of QMP's greeting");
            }
            client.execute("qmp_capabilities");
            return client;
        } catch (LabException e) {
            client.close();
            throw e;
        }
    }

    /** Runs a command without arguments; returns its {@code return} value. */
    public JsonNode execute(String command) throws LabException {
        return execute(command, Map.of());
    }

    /** Runs a command; returns its {@code return} value, or fails with QEMU's error description. */
    public JsonNode execute(String command, Map<String, Object> arguments) throws LabException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        try {
            // written on the channel itself: the stream wrappers of Channels would wait for the reader's lock
            ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new LabException("QMP " + command + " on " + socket + ": cannot send: " + e.getMessage());
        }
        while (true) {
            JsonNode message = next();
            if (message.has("event")) {
                continue;
            }
            if (message.has("error")) {
                throw new LabException("QMP " + command + " failed: " + message.path("error").path("desc").asText());
            }
            if (message.has("return")) {
                return message.get("return");
            }
        }
    }

    private JsonNode next() throws LabException {
        JsonNode message;
        try {
            message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for QEMU on " + socket);
        }
        if (message == null) {
            throw new LabException("QEMU did not answer on its QMP socket " + socket + " within "
                    + timeout.toSeconds() + " s");
        }
        if (message == CLOSED) {
            messages.add(CLOSED);
            throw new LabException("QEMU closed its QMP socket " + socket);
        }
        return message;
    }

    private void readMessages() {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (line.size() < MAX_LINE) {
                        line.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // closed: reported below
        }
        messages.add(CLOSED);
    }

    private void accept(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            messages.add(JSON.readTree(line));
        } catch (IOException e) {
            // not JSON: nothing QMP would send; skip it
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket that failed already
        }
    }
}
