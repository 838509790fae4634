package org.kernelrig.virtualboard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kernelrig.inventory.QemuSettings;

/**
 * The command line that starts a virtual board's QEMU: the image's kernel and
 * initramfs, the firmware (SeaBIOS, or OVMF with the instance's own EFI
 * variable store), an e1000 on user networking (IPv4 and IPv6) with SSH
 * forwarded to a loopback port, the serial console on a pseudo-terminal (and
 * logged to a file), a USB stick on an xHCI controller, and the QMP socket.
 * QEMU daemonizes once the machine is set up, leaving its process id in a file.
 */
final class QemuCommandLine {

    /** The USB stick's serial number; the board names it /dev/disk/by-id/usb-QEMU_QEMU_HARDDISK_RIGSTICK0001-0:0. */
    static final String STICK_SERIAL = "RIGSTICK0001";

    /**
     * The kernel's command line: the serial console, from the first word of
     * the boot stub on (so a kernel that cannot even unpack itself says so), no
     * reboot after a panic (the power switch recovers the board, and the trace
     * stays on screen), and short hung task and soft lockup thresholds so
     * those crashes show quickly.
     */
    static final String KERNEL_ARGUMENTS = "console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 panic=0 loglevel=7"
            + " sysctl.kernel.hung_task_timeout_secs=10 watchdog_thresh=5";

    /** The files of one running instance. */
    record Files(Path qmpSocket, Path pidFile, Path serialLog, Path usbStick) {
    }

    private QemuCommandLine() {
    }

    /**
     * @param firmware OVMF for a board with {@code firmware: efi}, null for SeaBIOS
     * @param ramoops  the reserved memory of a board with {@code pstore: ramoops}, null for others
     * @param paused   start with the CPU stopped, until QMP {@code cont}
     */
    static List<String> build(String program, String name, QemuSettings settings, BoardImage image, int sshPort,
            Files files, EfiFirmware firmware, RamoopsRegion ramoops, boolean paused) {
        List<String> command = new ArrayList<>(List.of(program,
                "-name", name,
                "-machine", "q35",
                // "max" has RDRAND, so the kernel's random pool (and dropbear) is ready at once
                "-cpu", "max",
                "-m", settings.memoryMiB() + "M",
                "-smp", String.valueOf(settings.cpus()),
                "-nodefaults", "-display", "none", "-vga", "none", "-monitor", "none",
                "-kernel", image.kernel().toString(),
                "-initrd", image.initramfs().toString(),
                "-append", kernelArguments(settings, ramoops),
                // the guest reaches this machine as 10.0.2.2 and as fec0::2 (its ::1); it gets fec0::/64 by SLAAC
                "-netdev", "user,id=net0,ipv4=on,ipv6=on,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22",
                "-device", "e1000,netdev=net0",
                "-chardev", "pty,id=console,logfile=" + escape(files.serialLog()) + ",logappend=on",
                "-serial", "chardev:console",
                "-qmp", "unix:" + escape(files.qmpSocket()) + ",server=on,wait=off",
                "-pidfile", files.pidFile().toString(),
                "-daemonize"));
        if (paused) {
            command.add("-S");
        }
        if (firmware != null) {
            // -kernel and -initrd still apply: OVMF boots the kernel through its EFI stub
            command.addAll(List.of(
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + escape(firmware.code()),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + escape(firmware.vars())));
        }
        if (files.usbStick() != null) {
            command.addAll(List.of(
                    "-device", "qemu-xhci,id=xhci",
                    "-drive", "if=none,id=stick,format=raw,file=" + escape(files.usbStick()),
                    "-device", "usb-storage,bus=xhci.0,drive=stick,serial=" + STICK_SERIAL));
        }
        return command;
    }

    /**
     * The kernel's command line for these settings: {@link #KERNEL_ARGUMENTS}
     * and the pstore backend ({@code pstore.backend=}), which the board's init
     * reads to load the backend's module: for ramoops, its reserved region
     * and options too.
     */
    static String kernelArguments(QemuSettings settings, RamoopsRegion ramoops) {
        List<String> arguments = new ArrayList<>(List.of(KERNEL_ARGUMENTS));
        switch (settings.pstore()) {
            case "ramoops" -> {
                if (ramoops == null) {
                    throw new IllegalArgumentException("pstore ramoops needs its region");
                }
                arguments.addAll(ramoops.kernelArguments());
            }
            case "efi" -> arguments.add("pstore.backend=efi");
            default -> {
                // no backend: the kernel keeps no records
            }
        }
        return String.join(" ", arguments);
    }

    /** A path inside a QEMU option list, where a comma is written twice. */
    private static String escape(Path path) {
        return path.toString().replace(",", ",,");
    }
}
