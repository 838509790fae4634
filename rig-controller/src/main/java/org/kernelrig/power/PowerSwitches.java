package org.kernelrig.power;

import java.nio.file.Path;
import java.time.Duration;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.PowerSettings;

/** Makes the power switch a board's inventory file describes. */
public final class PowerSwitches {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private PowerSwitches() {
    }

    public static PowerSwitch forBoard(Board board) throws LabException {
        PowerSettings power = board.power();
        if (power == null) {
            throw new LabException("board " + board.name() + " has no power switch in its inventory file",
                    "add power: {driver: ...} to " + board.file());
        }
        String name = board.name();
        return switch (power.driver()) {
            case "lcus" -> new LcusRelay(name, Path.of(text(power, "device")), number(power, "channel", 1),
                    number(power, "baud", 9600));
            case "numato" -> new NumatoRelay(name, Path.of(text(power, "device")), number(power, "relay", 0),
                    number(power, "baud", 19200), timeout(power, Duration.ofSeconds(2)));
            case "devantech-eth" -> new DevantechEthRelay(name, text(power, "host"), number(power, "port", 17494),
                    number(power, "relay", 1), power.text("password").orElse(null), timeout(power, DEFAULT_TIMEOUT));
            case "tasmota" -> new TasmotaSwitch(name, text(power, "host"), number(power, "port", 80),
                    number(power, "relay", 1), power.text("user").orElse(null), power.text("password").orElse(null),
                    timeout(power, DEFAULT_TIMEOUT));
            case "shelly" -> new ShellySwitch(name, text(power, "host"), number(power, "port", 80),
                    number(power, "switch", 0), timeout(power, DEFAULT_TIMEOUT));
            case "pdudaemon" -> new PduDaemonSwitch(name, power.text("url").orElse("http://127.0.0.1:16421"),
                    text(power, "pdu"), number(power, "port", 1), timeout(power, DEFAULT_TIMEOUT));
            case "command" -> new CommandSwitch(name, text(power, "on"), text(power, "off"),
                    power.text("status").orElse(null), power.text("reset").orElse(null),
                    timeout(power, Duration.ofSeconds(30)));
            case "manual" -> new ManualSwitch(name);
            case "qemu" -> throw new LabException("board " + name + ": the qemu power switch needs the virtual board",
                    "start the board with rig run, which drives QEMU's power itself");
            default -> throw new LabException("board " + name + ": unknown power driver '" + power.driver() + "'",
                    "see docs/serial-and-power.md for the drivers");
        };
    }

    private static String text(PowerSettings power, String key) throws LabException {
        return power.text(key).orElseThrow(() -> new LabException("power." + key + " is missing for driver "
                + power.driver()));
    }

    private static int number(PowerSettings power, String key, int fallback) {
        return power.number(key).orElse(fallback);
    }

    private static Duration timeout(PowerSettings power, Duration fallback) {
        return power.duration("timeout").orElse(fallback);
    }
}
