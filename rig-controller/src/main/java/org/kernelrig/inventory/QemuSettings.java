package org.kernelrig.inventory;

import java.nio.file.Path;

/**
 * A virtual board: a Debian kernel under QEMU.
 *
 * @param kernel     a bzImage or Debian kernel package to boot instead of the image's kernel; null for the default
 * @param usbDisk    the size of the emulated USB stick, 0 for none
 */
public record QemuSettings(String arch, int memoryMiB, int cpus, String firmware, Path kernel, long usbDisk) {

    public static final java.util.List<String> ARCHES = java.util.List.of("x86_64");
    public static final java.util.List<String> FIRMWARES = java.util.List.of("bios", "efi");
}
