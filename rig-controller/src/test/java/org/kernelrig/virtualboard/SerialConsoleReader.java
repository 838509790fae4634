package org.kernelrig.virtualboard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import jssc.SerialPort;
import jssc.SerialPortEvent;
import jssc.SerialPortException;

/** Reads a board's serial console with jssc, as the serial capture does, keeping everything it received. */
final class SerialConsoleReader implements AutoCloseable {

    private final SerialPort port;
    private final StringBuffer received = new StringBuffer();

    SerialConsoleReader(Path device) throws SerialPortException {
        port = new SerialPort(device.toString());
        port.openPort();
        port.setParams(SerialPort.BAUDRATE_115200, SerialPort.DATABITS_8, SerialPort.STOPBITS_1, SerialPort.PARITY_NONE);
        port.addEventListener(this::onEvent, SerialPort.MASK_RXCHAR);
    }

    private void onEvent(SerialPortEvent event) {
        if (event.isRXCHAR() && event.getEventValue() > 0) {
            try {
                byte[] bytes = port.readBytes(event.getEventValue());
                if (bytes != null) {
                    received.append(new String(bytes, StandardCharsets.ISO_8859_1));
                }
            } catch (SerialPortException e) {
                // the board went away; what arrived so far stays
            }
        }
    }

    void write(String text) throws SerialPortException {
        port.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    String text() {
        return received.toString();
    }

    @Override
    public void close() {
        try {
            port.closePort();
        } catch (SerialPortException e) {
            // closed already, e.g. QEMU ended
        }
    }
}
