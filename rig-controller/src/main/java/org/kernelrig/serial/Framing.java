package org.kernelrig.serial;

import jssc.SerialPort;

/**
 * A serial line's character framing as the inventory writes it: data bits,
 * parity and stop bits, e.g. {@code 8N1} or {@code 7E1}.
 */
public record Framing(int dataBits, char parity, int stopBits) {

    public static final Framing EIGHT_N_ONE = new Framing(8, 'N', 1);

    /** Parses {@code 8N1}; the inventory has already checked the shape. */
    public static Framing parse(String text) {
        if (text == null || !text.matches("[5-8][NOEMSnoems][12]")) {
            throw new IllegalArgumentException("framing must be data bits, parity and stop bits such as 8N1, got '"
                    + text + "'");
        }
        return new Framing(text.charAt(0) - '0', Character.toUpperCase(text.charAt(1)), text.charAt(2) - '0');
    }

    int jsscDataBits() {
        return dataBits;
    }

    int jsscStopBits() {
        return stopBits == 2 ? SerialPort.STOPBITS_2 : SerialPort.STOPBITS_1;
    }

    int jsscParity() {
        return switch (parity) {
            case 'O' -> SerialPort.PARITY_ODD;
            case 'E' -> SerialPort.PARITY_EVEN;
            case 'M' -> SerialPort.PARITY_MARK;
            case 'S' -> SerialPort.PARITY_SPACE;
            default -> SerialPort.PARITY_NONE;
        };
    }

    @Override
    public String toString() {
        return "" + dataBits + parity + stopBits;
    }
}
