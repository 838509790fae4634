package org.kernelrig.serial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.console.ConsoleLine;
import org.kernelrig.testing.PseudoTerminalPair;

/** The serial console through jssc, with socat's pseudo-terminals playing the board's UART. */
class SerialConsoleTest {

    private static final String GAP = "--- rig: serial port lost at \\S+; reopened at \\S+ ---";

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ConsoleLine> lines = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private PseudoTerminalPair pair(String board, String rig) throws IOException {
        PseudoTerminalPair pair = PseudoTerminalPair.start(dir.resolve(board), dir.resolve(rig));
        toClose.add(pair);
        return pair;
    }

    private SerialConsole console(Path port, Path log) throws LabException {
        SerialConsole console = new SerialConsole("bench-1", new SerialPortLink(port, 115200, Framing.EIGHT_N_ONE), log,
                new SerialConsole.Reconnect(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofMillis(300),
                LineAssembler.DEFAULT_MAX_LINE_BYTES);
        console.subscribe(lines::add);
        toClose.add(console);
        console.start();
        return console;
    }

    private static void write(Path end, byte[] bytes) throws IOException {
        try (FileOutputStream out = new FileOutputStream(end.toFile())) {
            out.write(bytes);
        }
    }

    private List<String> texts() {
        return lines.stream().map(ConsoleLine::text).toList();
    }

    private void awaitLine(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> texts().contains(text));
    }

    @Test
    void linesAndBurstsReachTheRawLogAndTheTimeline() throws Exception {
        PseudoTerminalPair pair = pair("board", "rig");
        Path log = dir.resolve("run/serial.log");
        SerialConsole console = console(pair.rigEnd(), log);

        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        byte[] first = "[    0.000000] Linux version 6.1.0-28-arm64\r\n\u001b[0;32m  OK  \u001b[0m Started\r\n"
                .getBytes(StandardCharsets.UTF_8);
        write(pair.boardEnd(), first);
        sent.write(first);
        expected.addAll(List.of("[    0.000000] Linux version 6.1.0-28-arm64", "  OK   Started"));
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            burst.append(String.format("[ %4d.%06d] burst line %d%s", i / 100, i, i, "\r\n"));
            expected.add(String.format("[ %4d.%06d] burst line %d", i / 100, i, i));
        }
        byte[] burstBytes = burst.toString().getBytes(StandardCharsets.UTF_8);
        write(pair.boardEnd(), burstBytes);
        sent.write(burstBytes);
        byte[] prompt = "debian login: ".getBytes(StandardCharsets.UTF_8);
        write(pair.boardEnd(), prompt);
        sent.write(prompt);
        expected.add("debian login: ");

        // the prompt has no line end: it is handed on once the line has been quiet for a while
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == expected.size());
        assertEquals(expected, texts());
        assertTrue(lines.stream().allMatch(l -> l.source() == ConsoleLine.Source.SERIAL && l.arrival() != null));
        assertArrayEquals(sent.toByteArray(), Files.readAllBytes(log), "serial.log holds every byte as it came");
        assertEquals(sent.size(), console.bytesReceived());
    }

    @Test
    void aPortThatVanishesAndReturnsUnderTheSameNameIsReopenedAndTheGapMarked() throws Exception {
        PseudoTerminalPair pair = pair("board", "rig");
        Path log = dir.resolve("serial.log");
        SerialConsole console = console(pair.rigEnd(), log);
        write(pair.boardEnd(), "before power off\r\nhalf a li".getBytes(StandardCharsets.UTF_8));
        awaitLine("before power off");

        pair.close(); // the board's power is cut, and its USB serial adapter with it
        PseudoTerminalPair again = pair("board", "rig");
        await().atMost(Duration.ofSeconds(10)).until(() -> texts().stream().anyMatch(t -> t.matches(GAP)));
        write(again.boardEnd(), "U-Boot 2024.01\r\n".getBytes(StandardCharsets.UTF_8));
        awaitLine("U-Boot 2024.01");

        List<String> texts = texts();
        assertEquals("before power off", texts.get(0));
        assertEquals("half a li", texts.get(1), "the unfinished line is handed on before the gap");
        assertTrue(texts.get(2).matches(GAP), texts.get(2));
        assertEquals("U-Boot 2024.01", texts.get(3));
        String raw = Files.readString(log);
        assertTrue(raw.matches("before power off\r\nhalf a li\n" + GAP + "\nU-Boot 2024.01\r\n"), raw);
        assertEquals(1, console.gaps().size());
        assertNotNull(console.gaps().get(0).reopened());
    }

    @Test
    void aByIdLinkIsFollowedAnewWhenTheAdapterComesBackUnderAnotherDevice() throws Exception {
        PseudoTerminalPair first = pair("board1", "tty1");
        Path byId = dir.resolve("serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0");
        Files.createDirectories(byId.getParent());
        Files.createSymbolicLink(byId, first.rigDevice());
        console(byId, dir.resolve("serial.log"));
        write(first.boardEnd(), "first adapter\n".getBytes(StandardCharsets.UTF_8));
        awaitLine("first adapter");

        // the adapter comes back as another tty while the old one is still going away
        PseudoTerminalPair second = pair("board2", "tty2");
        assertNotEquals(first.rigDevice(), second.rigDevice());
        first.close();
        Files.delete(byId);
        Files.createSymbolicLink(byId, second.rigDevice());
        write(second.boardEnd(), "second adapter\n".getBytes(StandardCharsets.UTF_8));

        awaitLine("second adapter");
        assertTrue(texts().get(1).matches(GAP), texts().toString());
    }

    @Test
    void closingWhileThePortIsGoneSaysItNeverCameBack() throws Exception {
        PseudoTerminalPair pair = pair("board", "rig");
        Path log = dir.resolve("serial.log");
        SerialConsole console = console(pair.rigEnd(), log);
        write(pair.boardEnd(), "last words\n".getBytes(StandardCharsets.UTF_8));
        awaitLine("last words");
        pair.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !console.connected());
        console.close();
        String raw = Files.readString(log);
        assertTrue(raw.matches("last words\n--- rig: serial port lost at \\S+ \\(.*\\); not reopened before the "
                + "capture ended ---\n"), raw);
        assertEquals(1, console.gaps().size());
        assertEquals(null, console.gaps().get(0).reopened());
    }

    @Test
    void aMissingPortFailsAtStartNamingTheBoardAndThePath() {
        Path missing = dir.resolve("serial/by-id/usb-nothing-if00");
        SerialConsole console = new SerialConsole("bench-1", new SerialPortLink(missing, 115200, Framing.EIGHT_N_ONE),
                dir.resolve("serial.log"));
        LabException e = assertThrows(LabException.class, console::start);
        assertTrue(e.getMessage().contains("bench-1") && e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.hint().contains("/dev/serial/by-id"), e.hint());
    }
}
