package org.kernelrig.power;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The device end of a pseudo-terminal pair: reads what rig sends, keeps every
 * byte for the test to check, and answers as the emulated device does.
 */
abstract class SerialDeviceEmulator implements AutoCloseable {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final InputStream in;
    private final OutputStream out;
    private final Thread thread;

    SerialDeviceEmulator(Path deviceEnd) throws IOException {
        this.in = new FileInputStream(deviceEnd.toFile());
        this.out = new FileOutputStream(deviceEnd.toFile());
        this.thread = new Thread(this::run, getClass().getSimpleName());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Called for every byte rig sent. */
    protected abstract void receive(int b) throws IOException;

    protected void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Every byte received so far. */
    synchronized byte[] received() {
        return received.toByteArray();
    }

    private void run() {
        try {
            int b;
            while ((b = in.read()) >= 0) {
                synchronized (this) {
                    received.write(b);
                }
                receive(b);
            }
        } catch (IOException e) {
            // the pseudo-terminal was closed at the end of the test
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
        out.close();
    }
}
