package org.kernelrig.power;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.testing.PseudoTerminalPair;

/** The Numato driver through jssc, an emulated Numato module on the other end of a pty pair. */
class NumatoRelayTest {

    @TempDir
    Path dir;

    private PseudoTerminalPair pair;

    /** A Numato module: echoes, runs a command at carriage return, answers up to its prompt. */
    static final class NumatoModule extends SerialDeviceEmulator {
        final boolean[] relays = new boolean[32];
        volatile boolean silent;
        /** What {@code relay read} answers instead of the relay's state, when set. */
        volatile String readAnswer;
        private final StringBuilder line = new StringBuilder();

        NumatoModule(Path end) throws IOException {
            super(end);
        }

        @Override
        protected void receive(int b) throws IOException {
            if (silent) {
                return;
            }
            send(new byte[] {(byte) b});
            if (b != '\r') {
                line.append((char) b);
                return;
            }
            String[] words = line.toString().trim().split(" ");
            line.setLength(0);
            String answer = "";
            if (words.length == 3 && words[0].equals("relay")) {
                int relay = Character.isDigit(words[2].charAt(0)) ? words[2].charAt(0) - '0' : words[2].charAt(0) - 'A' + 10;
                switch (words[1]) {
                    case "on" -> relays[relay] = true;
                    case "off" -> relays[relay] = false;
                    case "read" -> answer = (readAnswer != null ? readAnswer : relays[relay] ? "on" : "off") + "\n\r";
                    default -> answer = "";
                }
            }
            send(("\n\r" + answer + ">").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private NumatoModule module;

    @BeforeEach
    void plugIn() throws IOException {
        pair = PseudoTerminalPair.start(dir.resolve("numato"), dir.resolve("ttyACM0"));
        module = new NumatoModule(pair.boardEnd());
    }

    @AfterEach
    void unplug() throws IOException {
        pair.close();
        module.close();
    }

    private String received() {
        return new String(module.received(), StandardCharsets.US_ASCII);
    }

    @Test
    void relayNamesAreDigitsThenCapitalLetters() {
        assertEquals("0", NumatoRelay.relayName(0));
        assertEquals("9", NumatoRelay.relayName(9));
        assertEquals("A", NumatoRelay.relayName(10));
        assertEquals("V", NumatoRelay.relayName(31));
    }

    @Test
    void switchesAndReadsARelayAboveNine() throws Exception {
        NumatoRelay relay = new NumatoRelay("bbb", pair.rigEnd(), 12, 19200, Duration.ofSeconds(5));
        relay.on();
        assertTrue(module.relays[12]);
        assertEquals(Optional.of(PowerSwitch.State.ON), relay.state());
        relay.off();
        assertEquals(Optional.of(PowerSwitch.State.OFF), relay.state());
        assertEquals("relay on C\rrelay read C\rrelay off C\rrelay read C\r", received());
    }

    @Test
    void aSilentModuleIsReportedAfterTheTimeout() {
        module.silent = true;
        NumatoRelay relay = new NumatoRelay("bbb", pair.rigEnd(), 3, 19200, Duration.ofMillis(300));
        LabException e = assertThrows(LabException.class, relay::off);
        assertEquals("board bbb: power switch numato " + pair.rigEnd() + " relay 3: no answer to 'relay off 3' "
                + "within 300 ms", e.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> received().equals("relay off 3\r"));
    }

    @Test
    void anAnswerThatIsNeitherOnNorOffIsAnError() {
        module.readAnswer = "maybe";
        LabException e = assertThrows(LabException.class,
                () -> new NumatoRelay("bbb", pair.rigEnd(), 1, 19200, Duration.ofSeconds(5)).state());
        assertTrue(e.getMessage().endsWith("unexpected answer to 'relay read 1': 'maybe'"), e.getMessage());
    }
}
