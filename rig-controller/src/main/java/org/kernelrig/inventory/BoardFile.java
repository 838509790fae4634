package org.kernelrig.inventory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.NetworkAddresses;
import org.kernelrig.config.Problems;
import org.kernelrig.config.Sizes;
import org.kernelrig.config.YamlDocument;
import org.kernelrig.config.YamlMapping;
import org.kernelrig.symbols.DebugInfo;

/** Reads and checks one board file of the inventory. */
public final class BoardFile {

    static final Pattern BOARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Linux interface names: at most 15 characters, none of them special to a shell. */
    static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}");

    private static final List<String> TOP_KEYS = List.of("name", "description", "tags", "ssh", "netconsole",
            "serial", "power", "doctor", "qemu", "pstore", "debug-info");
    private static final String EXPECTED = "ssh, power and netconsole (see inventory/README.md)";

    private BoardFile() {
    }

    /** Loads {@code path}; {@code display} is how messages name the file. */
    public static Board load(Path path, String display) throws InvalidConfigException {
        YamlMapping root = YamlDocument.load(path, display, "board", EXPECTED);
        return read(root, path);
    }

    /** The board name a file gives when it has no {@code name:}: its file name without {@code .yaml}. */
    public static String nameFromFile(Path path) {
        String file = path.getFileName().toString();
        return file.replaceFirst("\\.ya?ml$", "");
    }

    static Board read(YamlMapping root, Path path) throws InvalidConfigException {
        Problems problems = new Problems();
        root.allowOnly(problems, TOP_KEYS);

        String name = root.checked(problems, "name", BoardFile::checkName).orElse(nameFromFile(path));
        if (!root.has("name") && checkName(name) != null) {
            problems.add(root.location(), "the file name gives the board name '" + name + "', which "
                    + checkName(name).substring(3), "rename the file or add name: with a valid name");
        }
        String description = root.string(problems, "description").orElse("");
        List<String> tags = root.stringList(problems, "tags").orElse(List.of());

        QemuSettings qemu = root.mapping(problems, "qemu").map(m -> readQemu(m, problems)).orElse(null);
        boolean virtual = root.has("qemu");

        SshSettings ssh = null;
        if (virtual) {
            ssh = root.mapping(problems, "ssh").map(m -> readSsh(m, problems, true))
                    .orElse(new SshSettings("127.0.0.1", 0, "root", null, null, false, Duration.ofSeconds(30)));
        } else if (root.require(problems, "ssh", "{host: 192.168.1.50, user: root}")) {
            ssh = root.mapping(problems, "ssh").map(m -> readSsh(m, problems, false)).orElse(null);
        }

        NetconsoleSettings netconsole = root.mapping(problems, "netconsole")
                .map(m -> readNetconsole(m, problems)).orElse(NetconsoleSettings.defaults());
        SerialSettings serial = readSerial(root, problems, virtual);

        PowerSettings power = null;
        if (virtual && !root.has("power")) {
            power = new PowerSettings("qemu", Duration.ofSeconds(1), java.util.Map.of());
        } else if (root.require(problems, "power", "{driver: lcus, device: /dev/ttyUSB0, channel: 1}")) {
            power = root.mapping(problems, "power").map(m -> readPower(m, problems, virtual)).orElse(null);
        }

        DoctorSettings doctor = root.mapping(problems, "doctor").map(m -> readDoctor(m, problems))
                .orElse(virtual ? new DoctorSettings("10.0.2.2", DoctorSettings.DEFAULT_PORT, "0.0.0.0")
                        : DoctorSettings.defaults());
        AddressFamilies.check(root, netconsole, doctor, problems);

        PstoreSettings pstore = root.mapping(problems, "pstore").map(m -> readPstore(m, problems))
                .orElse(PstoreSettings.defaults());

        DebugInfo debugInfo = root.mapping(problems, "debug-info").map(m -> readDebugInfo(m, problems, path))
                .orElse(DebugInfo.NONE);

        problems.throwIfAny();
        return new Board(name, description, path, tags, ssh, netconsole, serial, power, doctor, qemu, pstore, debugInfo);
    }

    private static String checkName(String name) {
        return BOARD_NAME.matcher(name).matches() ? null
                : "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got '" + name + "'";
    }

    private static SshSettings readSsh(YamlMapping m, Problems problems, boolean virtual) {
        m.allowOnly(problems, "host", "port", "user", "identity", "known-hosts", "sudo", "connect-timeout");
        String host = virtual ? m.checked(problems, "host", NetworkAddresses::checkHost).orElse("127.0.0.1")
                : m.requiredString(problems, "host", "192.168.1.50").map(h -> {
                    String error = NetworkAddresses.checkHost(h);
                    if (error != null) {
                        problems.add(m.locationOf("host"), m.field("host") + " " + error);
                    }
                    return h;
                }).orElse(null);
        int port = m.integer(problems, "port", 1, 65535).orElse(virtual ? 0 : SshSettings.DEFAULT_PORT);
        String user = m.checked(problems, "user", u -> u.matches("[a-z_][a-z0-9_.-]{0,31}\\$?") ? null
                : "must be a Unix user name, got '" + u + "'").orElse("root");
        Path identity = m.string(problems, "identity").map(BoardFile::expandHome).orElse(null);
        Path knownHosts = m.string(problems, "known-hosts").map(BoardFile::expandHome).orElse(null);
        boolean sudo = m.bool(problems, "sudo").orElse(false);
        Duration timeout = m.duration(problems, "connect-timeout").orElse(Duration.ofSeconds(30));
        return new SshSettings(host, port, user, identity, knownHosts, sudo, timeout);
    }

    private static NetconsoleSettings readNetconsole(YamlMapping m, Problems problems) {
        m.allowOnly(problems, "interface", "source-port", "source-ip", "gateway-mac", "extended", "release-prefix",
                "method");
        String iface = m.checked(problems, "interface", i -> INTERFACE.matcher(i).matches() ? null
                : "must be a network interface name (up to 15 letters, digits, '_', '.', '@', '-'), got '" + i + "'")
                .orElse(null);
        Integer sourcePort = m.has("source-port") ? box(m.integer(problems, "source-port", 1, 65535)) : null;
        String sourceIp = m.checked(problems, "source-ip", NetworkAddresses::checkNetconsoleIp).orElse(null);
        String mac = m.checked(problems, "gateway-mac", NetworkAddresses::checkMac).orElse(null);
        boolean extended = m.bool(problems, "extended").orElse(true);
        boolean release = m.bool(problems, "release-prefix").orElse(false);
        String method = m.choice(problems, "method", NetconsoleSettings.METHODS).orElse("auto");
        return new NetconsoleSettings(iface, sourcePort, sourceIp, mac, extended, release, method);
    }

    private static SerialSettings readSerial(YamlMapping root, Problems problems, boolean virtual) {
        if (!root.has("serial")) {
            return virtual ? new SerialSettings.Virtual() : null;
        }
        if (!root.isMapping("serial")) {
            Optional<String> text = root.string(problems, "serial");
            if (text.isPresent() && virtual && text.get().equals("pty")) {
                return new SerialSettings.Virtual();
            }
            if (text.isPresent()) {
                problems.add(root.locationOf("serial"), "serial must be a mapping such as {device: /dev/ttyUSB0, baud: 115200}"
                        + " or {tcp: host:port}, got '" + text.get() + "'");
            }
            return null;
        }
        YamlMapping m = root.mapping(problems, "serial").orElseThrow();
        m.allowOnly(problems, "device", "baud", "framing", "tcp", "telnet");
        if (m.has("device") && m.has("tcp")) {
            problems.add(m.keyLocation("tcp"), "serial has both device and tcp; give one",
                    "device: for a local port, tcp: host:port for a serial server such as ser2net");
            return null;
        }
        if (m.has("tcp")) {
            Optional<String> endpoint = m.checked(problems, "tcp", BoardFile::checkEndpoint);
            boolean telnet = m.bool(problems, "telnet").orElse(false);
            for (String key : List.of("baud", "framing")) {
                if (m.has(key)) {
                    problems.add(m.keyLocation(key), "serial." + key + " does not apply to a tcp console",
                            "set the baud rate in the serial server's configuration");
                }
            }
            return endpoint.map(e -> {
                int colon = e.lastIndexOf(':');
                String host = e.substring(0, colon).replaceAll("^\\[|]$", "");
                return (SerialSettings) new SerialSettings.Tcp(host, Integer.parseInt(e.substring(colon + 1)), telnet);
            }).orElse(null);
        }
        if (!m.require(problems, "device", "/dev/ttyUSB0")) {
            return null;
        }
        Optional<String> device = m.checked(problems, "device", d -> d.startsWith("/") ? null
                : "must be an absolute path such as /dev/serial/by-id/..., got '" + d + "'");
        int baud = m.integer(problems, "baud", 50, 4_000_000).orElse(SerialSettings.Device.DEFAULT_BAUD);
        String framing = m.checked(problems, "framing", f -> f.matches("[5-8][NOEMS][12]") ? null
                : "must be data bits, parity and stop bits such as 8N1, got '" + f + "'")
                .orElse(SerialSettings.Device.DEFAULT_FRAMING);
        if (m.has("telnet")) {
            problems.add(m.keyLocation("telnet"), "serial.telnet applies only to a tcp console");
        }
        return device.map(d -> (SerialSettings) new SerialSettings.Device(d, baud, framing)).orElse(null);
    }

    private static String checkEndpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return "must be host:port, got '" + text + "'";
        }
        String host = text.substring(0, colon).replaceAll("^\\[|]$", "");
        String hostError = NetworkAddresses.checkHost(host);
        if (hostError != null) {
            return "host " + hostError;
        }
        String port = text.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "port must be 1..65535, got '" + port + "'";
        }
        return null;
    }

    private static PowerSettings readPower(YamlMapping m, Problems problems, boolean virtual) {
        if (!m.require(problems, "driver", String.join("|", PowerDriverSpec.names()))) {
            m.allowOnly(problems, List.of("driver", "off-time"));
            return null;
        }
        Optional<String> driver = m.choice(problems, "driver", PowerDriverSpec.names());
        if (driver.isEmpty()) {
            return null;
        }
        PowerDriverSpec spec = PowerDriverSpec.of(driver.get()).orElseThrow();
        if (driver.get().equals("qemu") && !virtual) {
            problems.add(m.locationOf("driver"), "power.driver qemu works only for a virtual board (one with a qemu: section)");
        }
        Duration offTime = m.duration(problems, "off-time").orElse(PowerSettings.DEFAULT_OFF_TIME);
        return new PowerSettings(driver.get(), offTime, spec.read(m, problems));
    }

    private static DoctorSettings readDoctor(YamlMapping m, Problems problems) {
        m.allowOnly(problems, "address", "port", "listen");
        String address = m.checked(problems, "address", NetworkAddresses::checkNetconsoleIp).orElse(null);
        int port = m.integer(problems, "port", 1, 65535).orElse(DoctorSettings.DEFAULT_PORT);
        String listen = m.checked(problems, "listen", NetworkAddresses::checkListenIp).orElse("0.0.0.0");
        return new DoctorSettings(address, port, listen);
    }

    private static QemuSettings readQemu(YamlMapping m, Problems problems) {
        m.allowOnly(problems, "arch", "memory", "cpus", "firmware", "kernel", "usb-disk", "pstore");
        String arch = m.choice(problems, "arch", QemuSettings.ARCHES).orElse("x86_64");
        long memory = m.size(problems, "memory").orElse(512L << 20);
        if (memory < (128L << 20) || memory > (16L << 30)) {
            problems.add(m.locationOf("memory"), "qemu.memory must be 128M..16G, got " + Sizes.format(memory));
        }
        int cpus = m.integer(problems, "cpus", 1, 8).orElse(1);
        String firmware = m.choice(problems, "firmware", QemuSettings.FIRMWARES).orElse("bios");
        Path kernel = m.string(problems, "kernel").map(BoardFile::expandHome).orElse(null);
        long usbDisk = m.size(problems, "usb-disk").orElse(64L << 20);
        String pstore = m.choice(problems, "pstore", QemuSettings.PSTORE_BACKENDS)
                .orElse(QemuSettings.defaultPstore(firmware));
        if (pstore.equals("efi") && !firmware.equals("efi")) {
            problems.add(m.locationOf("pstore"), "qemu.pstore efi needs firmware efi (the records are kept in EFI "
                    + "variables), got firmware " + firmware, "add firmware: efi, or write pstore: ramoops");
        }
        return new QemuSettings(arch, (int) (memory >> 20), cpus, firmware, kernel, usbDisk, pstore);
    }

    private static PstoreSettings readPstore(YamlMapping m, Problems problems) {
        m.allowOnly(problems, "collect", "delete");
        boolean collect = m.bool(problems, "collect").orElse(true);
        boolean delete = m.bool(problems, "delete").orElse(collect);
        if (delete && !collect && m.has("delete")) {
            problems.add(m.locationOf("delete"), "pstore.delete needs collect: true; rig deletes only the records"
                    + " it has read and saved", "set collect: true, or remove delete:");
        }
        return new PstoreSettings(collect, delete && collect);
    }

    /**
     * Where the board's kernel debug info is. The paths are not checked here: they may exist only on
     * the host that runs the board, and a run without them still runs, its report saying why frames
     * have no source lines.
     */
    private static DebugInfo readDebugInfo(YamlMapping m, Problems problems, Path file) {
        m.allowOnly(problems, "vmlinux", "modules");
        Path folder = file.toAbsolutePath().getParent();
        Path vmlinux = m.string(problems, "vmlinux").map(v -> folder.resolve(expandHome(v))).orElse(null);
        Path modules = m.string(problems, "modules").map(v -> folder.resolve(expandHome(v))).orElse(null);
        return DebugInfo.of(vmlinux, modules);
    }

    private static Integer box(java.util.OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }
}
