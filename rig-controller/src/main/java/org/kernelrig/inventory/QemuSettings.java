package org.kernelrig.inventory;

import java.nio.file.Path;
import java.util.List;

/**
 * A virtual board: a Debian kernel under QEMU.
 *
 * @param firmware   {@code bios} (SeaBIOS) or {@code efi} (OVMF, with EFI variables kept per instance)
 * @param kernel     a bzImage or Debian kernel package to boot instead of the image's kernel; null for the default
 * @param usbDisk    the size of the emulated USB stick, 0 for none
 * @param pstore     where the kernel keeps its crash records across a reboot: {@code ramoops} (reserved RAM,
 *                   survives a warm reset), {@code efi} (EFI variables, survive a power-off) or {@code none}
 */
public record QemuSettings(String arch, int memoryMiB, int cpus, String firmware, Path kernel, long usbDisk,
        String pstore) {

    public static final List<String> ARCHES = List.of("x86_64");
    public static final List<String> FIRMWARES = List.of("bios", "efi");
    public static final List<String> PSTORE_BACKENDS = List.of("ramoops", "efi", "none");

    /** Settings with the pstore backend the firmware suggests. */
    public QemuSettings(String arch, int memoryMiB, int cpus, String firmware, Path kernel, long usbDisk) {
        this(arch, memoryMiB, cpus, firmware, kernel, usbDisk, defaultPstore(firmware));
    }

    /** EFI variables where the firmware has them, reserved RAM otherwise. */
    public static String defaultPstore(String firmware) {
        return "efi".equals(firmware) ? "efi" : "ramoops";
    }

    public boolean efi() {
        return "efi".equals(firmware);
    }
}
