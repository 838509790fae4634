package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code rig power} as the launcher runs it, with the command driver and an unreachable relay. */
class PowerCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int rig(String... args) {
        CommandLine rig = Rig.commandLine();
        rig.setOut(new PrintWriter(out, true));
        rig.setErr(new PrintWriter(err, true));
        return rig.execute(args);
    }

    private Path board(String name, String power) throws IOException {
        Path inventory = dir.resolve("inventory");
        Files.createDirectories(inventory);
        Files.writeString(inventory.resolve(name + ".yaml"), """
                ssh:
                  host: 192.0.2.10
                netconsole:
                  interface: eth0
                power:
                %s
                """.formatted(power.indent(2).stripTrailing()));
        return inventory;
    }

    @Test
    void switchesCyclesAndReadsTheState() throws Exception {
        Path state = dir.resolve("state");
        Path inventory = board("odroid", """
                driver: command
                on: "echo on >> '%1$s'"
                off: "echo off >> '%1$s'"
                status: "tail -n 1 '%1$s'"
                off-time: 100ms
                """.formatted(state));
        assertEquals(0, rig("power", "odroid", "on", "--inventory", inventory.toString()));
        assertEquals(0, rig("power", "odroid", "cycle", "--inventory", inventory.toString()));
        assertEquals(0, rig("power", "odroid", "status", "--inventory", inventory.toString()));
        assertEquals(List.of("on", "off", "on"), Files.readAllLines(state));
        assertEquals("board odroid: switched on (command)\nboard odroid: power cycled, off for 100ms (command)\n"
                + "board odroid: on (command)\n", out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void aSwitchThatCannotTellSaysSo() throws Exception {
        Path inventory = board("pi4", "driver: lcus\ndevice: /dev/null-relay\nchannel: 2");
        assertEquals(0, rig("power", "pi4", "status", "--inventory", inventory.toString()));
        assertEquals("board pi4: unknown, the switch cannot tell (lcus /dev/null-relay channel 2)\n", out.toString());
    }

    @Test
    void aRelayThatIsNotThereIsALabError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path inventory = board("imx8", "driver: devantech-eth\nhost: 127.0.0.1\nport: " + port + "\nrelay: 1\ntimeout: 2s");
        assertEquals(125, rig("power", "imx8", "off", "--inventory", inventory.toString()));
        assertTrue(err.toString().startsWith("rig: error: board imx8: power switch devantech-eth 127.0.0.1:" + port
                + " relay 1: cannot reach 127.0.0.1:" + port + " while switching off"), err.toString());
        assertTrue(err.toString().contains("  is the board powered and on the network? ping 127.0.0.1"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void anUnknownBoardOrActionIsBadUsage() throws Exception {
        Path inventory = board("odroid", "driver: manual");
        assertEquals(2, rig("power", "odroi", "on", "--inventory", inventory.toString()));
        assertTrue(err.toString().contains("did you mean 'odroid'?"), err.toString());
        assertEquals(2, rig("power", "odroid", "reboot", "--inventory", inventory.toString()));
    }
}
