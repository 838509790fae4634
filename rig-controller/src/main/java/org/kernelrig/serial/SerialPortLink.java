package org.kernelrig.serial;

import java.io.IOException;
import java.nio.file.Path;

/** A local serial port, opened with jssc; its symbolic link is followed anew at every open. */
public final class SerialPortLink implements SerialLink {

    private final Path path;
    private final int baud;
    private final Framing framing;

    public SerialPortLink(Path path, int baud, Framing framing) {
        this.path = path;
        this.baud = baud;
        this.framing = framing;
    }

    @Override
    public Connection open() throws IOException {
        SerialDevice device = SerialDevice.open(path, baud, framing);
        return new Connection() {
            @Override
            public int read(byte[] buffer, long waitMillis) throws IOException {
                return device.read(buffer, waitMillis);
            }

            @Override
            public void write(byte[] bytes) throws IOException {
                device.write(bytes);
            }

            @Override
            public void close() {
                device.close();
            }
        };
    }

    @Override
    public String describe() {
        return path + " at " + baud + " " + framing;
    }
}
