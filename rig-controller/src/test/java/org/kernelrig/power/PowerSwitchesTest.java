package org.kernelrig.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.PowerSettings;
import org.kernelrig.inventory.SshSettings;

class PowerSwitchesTest {

    private static Board board(String driver, Map<String, Object> options) {
        return new Board("b1", "", Path.of("inventory/b1.yaml"), List.of(),
                new SshSettings("192.0.2.1", 22, "root", null, null, false, Duration.ofSeconds(5)), null, null,
                new PowerSettings(driver, Duration.ofSeconds(1), options), null, null);
    }

    @Test
    void eachDriverIsMadeFromItsSettings() throws Exception {
        assertEquals("lcus /dev/ttyUSB0 channel 2",
                PowerSwitches.forBoard(board("lcus", Map.of("device", "/dev/ttyUSB0", "channel", 2))).describe());
        assertEquals("numato /dev/ttyACM0 relay 11",
                PowerSwitches.forBoard(board("numato", Map.of("device", "/dev/ttyACM0", "relay", 11))).describe());
        assertEquals("devantech-eth 127.0.0.1:17494 relay 3",
                PowerSwitches.forBoard(board("devantech-eth", Map.of("host", "127.0.0.1", "relay", 3))).describe());
        assertEquals("tasmota http://127.0.0.1:80 relay 1",
                PowerSwitches.forBoard(board("tasmota", Map.of("host", "127.0.0.1"))).describe());
        assertEquals("shelly http://[::1]:8080 switch 0",
                PowerSwitches.forBoard(board("shelly", Map.of("host", "::1", "port", 8080))).describe());
        assertEquals("pdudaemon http://127.0.0.1:16421 rack port 4",
                PowerSwitches.forBoard(board("pdudaemon", Map.of("pdu", "rack", "port", 4))).describe());
        assertEquals("command", PowerSwitches.forBoard(board("command", Map.of("on", "true", "off", "true"))).describe());
        assertEquals("manual", PowerSwitches.forBoard(board("manual", Map.of())).describe());
    }

    @Test
    void qemuNeedsTheVirtualBoard() {
        LabException e = assertThrows(LabException.class, () -> PowerSwitches.forBoard(board("qemu", Map.of())));
        assertEquals("board b1: the qemu power switch needs the virtual board", e.getMessage());
    }
}
