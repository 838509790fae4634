package org.kernelrig.power;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.testing.PseudoTerminalPair;

/** The LCUS driver through jssc, an emulated CH340 relay board on the other end of a pty pair. */
class LcusRelayTest {

    @TempDir
    Path dir;

    private PseudoTerminalPair pair;
    private SerialDeviceEmulator relayBoard;

    @BeforeEach
    void plugIn() throws IOException {
        pair = PseudoTerminalPair.start(dir.resolve("lcus"), dir.resolve("by-id/usb-1a86_USB_Serial-if00-port0"));
        relayBoard = new SerialDeviceEmulator(pair.boardEnd()) {
            @Override
            protected void receive(int b) {
                // an LCUS board never answers
            }
        };
    }

    @AfterEach
    void unplug() throws IOException {
        pair.close();
        relayBoard.close();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private void awaitReceived(byte[] expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> relayBoard.received().length >= expected.length);
        assertArrayEquals(expected, relayBoard.received());
    }

    @Test
    void framesCarryChannelStateAndChecksum() {
        assertArrayEquals(bytes(0xA0, 0x01, 0x01, 0xA2), LcusRelay.frame(1, true));
        assertArrayEquals(bytes(0xA0, 0x01, 0x00, 0xA1), LcusRelay.frame(1, false));
        assertArrayEquals(bytes(0xA0, 0x08, 0x01, 0xA9), LcusRelay.frame(8, true));
    }

    @Test
    void onOffAndCycleSendExactlyTheirFrames() throws Exception {
        LcusRelay relay = new LcusRelay("pi4", pair.rigEnd(), 4, 9600);
        relay.on();
        awaitReceived(bytes(0xA0, 0x04, 0x01, 0xA5));
        relay.cycle(Duration.ZERO);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(bytes(0xA0, 0x04, 0x01, 0xA5));
        all.write(bytes(0xA0, 0x04, 0x00, 0xA4));
        all.write(bytes(0xA0, 0x04, 0x01, 0xA5));
        awaitReceived(all.toByteArray());
        assertTrue(relay.state().isEmpty(), "an LCUS board cannot tell its state");
        assertEquals("lcus " + pair.rigEnd() + " channel 4", relay.describe());
    }

    @Test
    void aMissingRelayBoardIsALabErrorNamingBoardAndDriver() {
        Path gone = dir.resolve("by-id/usb-1a86_gone");
        LabException e = assertThrows(LabException.class, () -> new LcusRelay("pi4", gone, 1, 9600).off());
        assertTrue(e.getMessage().startsWith("board pi4: power switch lcus " + gone + " channel 1: cannot switch off"),
                e.getMessage());
        assertTrue(e.hint().contains("/dev/serial/by-id"), e.hint());
        assertEquals(0, relayBoard.received().length, "nothing reached the relay board on the other port");
    }
}
