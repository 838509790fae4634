package org.kernelrig.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kernelrig.config.NetworkAddresses;
import org.kernelrig.config.Problems;
import org.kernelrig.config.YamlMapping;

/**
 * The settings each power driver takes in a board file, with their types,
 * ranges and defaults. Only the shape is checked here; the drivers in
 * {@code org.kernelrig.power} use the values.
 */
public final class PowerDriverSpec {

    /** The type of one setting. */
    enum Type { TEXT, PATH, HOST, URL, DURATION, INT }

    record Option(String key, Type type, boolean required, Object defaultValue, int min, int max, String example) {
    }

    private static final Map<String, PowerDriverSpec> DRIVERS = new LinkedHashMap<>();
    /** How long a network power switch may take to answer. */
    private static final java.time.Duration DEVICE_TIMEOUT = java.time.Duration.ofSeconds(5);

    static {
        define("lcus", "a CH340 USB serial relay board (LCUS-1/2/4/8)", "device", "channel",
                path("device", "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0"),
                number("channel", false, 1, 1, 8), number("baud", false, 9600, 1200, 115200));
        define("numato", "a Numato USB relay module", "device", "relay",
                path("device", "/dev/serial/by-id/usb-Numato_Systems_Pvt._Ltd._Numato_Lab_8_Channel_USB_Relay_Module-if00"),
                number("relay", true, null, 0, 31), number("baud", false, 19200, 1200, 115200),
                timeout(java.time.Duration.ofSeconds(2)));
        define("devantech-eth", "a Devantech ETH relay board over TCP", "host", "relay",
                new Option("host", Type.HOST, true, null, 0, 0, "192.168.1.60"),
                number("port", false, 17494, 1, 65535), number("relay", true, null, 1, 32),
                new Option("password", Type.TEXT, false, null, 0, 0, "secret"), timeout(DEVICE_TIMEOUT));
        define("tasmota", "a Tasmota smart plug or relay over HTTP", "host", "relay",
                new Option("host", Type.HOST, true, null, 0, 0, "192.168.1.61"),
                number("port", false, 80, 1, 65535), number("relay", false, 1, 1, 8),
                new Option("user", Type.TEXT, false, null, 0, 0, "admin"),
                new Option("password", Type.TEXT, false, null, 0, 0, "secret"), timeout(DEVICE_TIMEOUT));
        define("shelly", "a Shelly Gen2 switch over JSON-RPC", "host", "switch",
                new Option("host", Type.HOST, true, null, 0, 0, "192.168.1.62"),
                number("port", false, 80, 1, 65535), number("switch", false, 0, 0, 15),
                timeout(DEVICE_TIMEOUT));
        define("pdudaemon", "any PDU that pdudaemon drives, through its HTTP API", "pdu", "port",
                new Option("url", Type.URL, false, "http://127.0.0.1:16421", 0, 0, "http://127.0.0.1:16421"),
                new Option("pdu", Type.TEXT, true, null, 0, 0, "pdu-rack1"),
                number("port", true, null, 1, 999), timeout(DEVICE_TIMEOUT));
        define("command", "shell commands run on this machine", null, null,
                new Option("on", Type.TEXT, true, null, 0, 0, "\"usbrelay RELAY_1=1\""),
                new Option("off", Type.TEXT, true, null, 0, 0, "\"usbrelay RELAY_1=0\""),
                new Option("status", Type.TEXT, false, null, 0, 0, "\"my-pdu status 3\""),
                new Option("reset", Type.TEXT, false, null, 0, 0, "\"my-pdu reset 3\""),
                new Option("timeout", Type.DURATION, false, java.time.Duration.ofSeconds(30), 0, 0, "30s"));
        define("qemu", "the virtual board's QEMU, through its QMP socket", null, null);
        define("manual", "the operator, asked on the terminal", null, null);
    }

    private final String name;
    private final String summary;
    private final String mainKey;
    private final String unitKey;
    private final List<Option> options;

    private PowerDriverSpec(String name, String summary, String mainKey, String unitKey, List<Option> options) {
        this.name = name;
        this.summary = summary;
        this.mainKey = mainKey;
        this.unitKey = unitKey;
        this.options = options;
    }

    private static void define(String name, String summary, String mainKey, String unitKey, Option... options) {
        DRIVERS.put(name, new PowerDriverSpec(name, summary, mainKey, unitKey, List.of(options)));
    }

    private static Option path(String key, String example) {
        return new Option(key, Type.PATH, true, null, 0, 0, example);
    }

    private static Option timeout(java.time.Duration defaultValue) {
        return new Option("timeout", Type.DURATION, false, defaultValue, 0, 0, defaultValue.toSeconds() + "s");
    }

    private static Option number(String key, boolean required, Integer defaultValue, int min, int max) {
        return new Option(key, Type.INT, required, defaultValue, min, max, String.valueOf(min));
    }

    public static Optional<PowerDriverSpec> of(String driver) {
        return Optional.ofNullable(DRIVERS.get(driver));
    }

    public static List<String> names() {
        return List.copyOf(DRIVERS.keySet());
    }

    public String name() {
        return name;
    }

    public String summary() {
        return summary;
    }

    /** The keys a {@code power:} mapping for this driver may hold. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(List.of("driver", "off-time"));
        options.forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** Reads and checks this driver's settings from a board's {@code power:} mapping. */
    Map<String, Object> read(YamlMapping power, Problems problems) {
        power.allowOnly(problems, keys());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Option option : options) {
            if (option.required() && !power.require(problems, option.key(), option.example())) {
                continue;
            }
            Optional<?> value = switch (option.type()) {
                case TEXT, PATH -> power.string(problems, option.key());
                case HOST -> power.checked(problems, option.key(), NetworkAddresses::checkHost);
                case URL -> power.checked(problems, option.key(),
                        v -> v.matches("https?://[^\\s/]+(/\\S*)?") ? null : "must be an http:// or https:// URL, got '" + v + "'");
                case DURATION -> power.duration(problems, option.key());
                case INT -> {
                    var number = power.integer(problems, option.key(), option.min(), option.max());
                    yield number.isPresent() ? Optional.of(number.getAsInt()) : Optional.empty();
                }
            };
            if (value.isPresent()) {
                values.put(option.key(), value.get());
            } else if (option.defaultValue() != null && !power.has(option.key())) {
                values.put(option.key(), option.defaultValue());
            }
        }
        return values;
    }

    String describe(PowerSettings settings) {
        StringBuilder text = new StringBuilder(name);
        if (mainKey != null && settings.options().get(mainKey) != null) {
            text.append(' ').append(settings.options().get(mainKey));
        }
        if (unitKey != null && settings.options().get(unitKey) != null) {
            text.append(" #").append(settings.options().get(unitKey));
        }
        return text.toString();
    }
}
