package org.kernelrig.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.kernelrig.symbols.DebugInfo;

/**
 * A board on the bench, as its inventory file describes it: the resources
 * wired to it (SSH address, serial console, power switch) and how its
 * kernel's log reaches the doctor.
 *
 * @param qemu   set for a virtual board, null for a physical one
 * @param pstore what to do with the kernel's persistent store after a recovery
 * @param debugInfo where its kernel's vmlinux and modules with debug info are, for source lines in reports
 */
public record Board(String name, String description, Path file, List<String> tags, SshSettings ssh,
        NetconsoleSettings netconsole, SerialSettings serial, PowerSettings power, DoctorSettings doctor,
        QemuSettings qemu, PstoreSettings pstore, DebugInfo debugInfo) {

    public Board {
        tags = List.copyOf(tags);
        pstore = pstore != null ? pstore : PstoreSettings.defaults();
        debugInfo = debugInfo != null ? debugInfo : DebugInfo.NONE;
    }

    /** A board without debug info. */
    public Board(String name, String description, Path file, List<String> tags, SshSettings ssh,
            NetconsoleSettings netconsole, SerialSettings serial, PowerSettings power, DoctorSettings doctor,
            QemuSettings qemu, PstoreSettings pstore) {
        this(name, description, file, tags, ssh, netconsole, serial, power, doctor, qemu, pstore, null);
    }

    /** A board with the default pstore settings. */
    public Board(String name, String description, Path file, List<String> tags, SshSettings ssh,
            NetconsoleSettings netconsole, SerialSettings serial, PowerSettings power, DoctorSettings doctor,
            QemuSettings qemu) {
        this(name, description, file, tags, ssh, netconsole, serial, power, doctor, qemu, null);
    }

    public boolean isVirtual() {
        return qemu != null;
    }

    /** {@code virtual} or {@code physical}. */
    public String kind() {
        return isVirtual() ? "virtual" : "physical";
    }

    public Optional<SerialSettings> serialConsole() {
        return Optional.ofNullable(serial);
    }

    /** The SSH address for listings: {@code user@host:port}, the port shown as {@code auto} when chosen at start. */
    public String address() {
        String port = ssh.port() == 0 ? "auto" : String.valueOf(ssh.port());
        return ssh.user() + "@" + ssh.host() + ":" + port;
    }
}
