package org.kernelrig.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.kernelrig.Wait;

import jssc.SerialPort;
import jssc.SerialPortException;

/**
 * One open local serial port (jssc). The path may be a symbolic link such as
 * {@code /dev/serial/by-id/usb-FTDI_...}: it is resolved at every open, so a
 * USB adapter that came back under another {@code ttyUSB} number is found.
 *
 * <p>Reading never blocks in native code: jssc's blocking read spins forever
 * on a port whose device went away (the tty reads end-of-file), so this class
 * polls the input queue, which fails with an I/O error once the device is gone.
 */
public final class SerialDevice implements AutoCloseable {

    /** How often an idle port is polled for input. */
    private static final Duration POLL = Duration.ofMillis(5);

    private final Path path;
    private final Path resolved;
    private final SerialPort port;

    private SerialDevice(Path path, Path resolved, SerialPort port) {
        this.path = path;
        this.resolved = resolved;
        this.port = port;
    }

    /**
     * Opens the port and sets its speed and framing. Nothing is written to it,
     * and its modem lines are left as opening the port sets them.
     */
    public static SerialDevice open(Path path, int baud, Framing framing) throws IOException {
        Path resolved;
        try {
            resolved = path.toRealPath();
        } catch (IOException e) {
            throw new IOException(path + " does not exist" + (Files.isSymbolicLink(path) ? " (a dangling link)" : ""), e);
        }
        SerialPort port = new SerialPort(resolved.toString());
        try {
            port.openPort();
        } catch (SerialPortException e) {
            throw new IOException("cannot open " + describe(path, resolved) + ": " + reason(e), e);
        }
        try {
            port.setParams(baud, framing.jsscDataBits(), framing.jsscStopBits(), framing.jsscParity());
        } catch (SerialPortException e) {
            closeQuietly(port);
            throw new IOException("cannot set " + baud + " " + framing + " on " + describe(path, resolved) + ": "
                    + reason(e), e);
        }
        return new SerialDevice(path, resolved, port);
    }

    /** The path as configured. */
    public Path path() {
        return path;
    }

    /** The device node the path led to when it was opened, e.g. {@code /dev/ttyUSB1}. */
    public Path resolved() {
        return resolved;
    }

    /**
     * Reads what has arrived, waiting up to {@code waitMillis} for the first byte.
     *
     * @return the number of bytes read, 0 when nothing arrived in time
     * @throws IOException when the port is gone (device unplugged, pty closed)
     */
    public int read(byte[] buffer, long waitMillis) throws IOException {
        try {
            return Wait.upTo(Duration.ofMillis(waitMillis), "bytes from " + path).poll(POLL, () -> {
                try {
                    int available = port.getInputBufferBytesCount();
                    if (available < 0) {
                        throw new IOException(describe(path, resolved) + " is gone");
                    }
                    if (available == 0) {
                        return null;
                    }
                    byte[] bytes = port.readBytes(Math.min(available, buffer.length));
                    System.arraycopy(bytes, 0, buffer, 0, bytes.length);
                    return bytes.length;
                } catch (SerialPortException e) {
                    throw new IOException(describe(path, resolved) + ": " + reason(e), e);
                }
            }).orElse(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + path, e);
        }
    }

    public void write(byte[] bytes) throws IOException {
        try {
            if (!port.writeBytes(bytes)) {
                throw new IOException("writing to " + describe(path, resolved) + " failed");
            }
        } catch (SerialPortException e) {
            throw new IOException("writing to " + describe(path, resolved) + ": " + reason(e), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(port);
    }

    private static void closeQuietly(SerialPort port) {
        try {
            if (port.isOpened()) {
                port.closePort();
            }
        } catch (SerialPortException e) {
            // a port whose device is gone cannot be closed cleanly; its handle is released anyway
        }
    }

    private static String describe(Path path, Path resolved) {
        return path.equals(resolved) ? path.toString() : path + " (" + resolved + ")";
    }

    private static String reason(SerialPortException e) {
        String type = e.getExceptionType();
        return type != null ? type.toLowerCase() : String.valueOf(e.getMessage());
    }
}
