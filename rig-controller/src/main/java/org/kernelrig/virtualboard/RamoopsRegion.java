package org.kernelrig.virtualboard;

import java.util.List;
import java.util.Locale;

/**
 * The memory a virtual board's kernel keeps its crash records in with
 * ramoops: a megabyte that the kernel command line reserves
 * ({@code memmap=1M$ADDRESS}) so that nothing else uses it, and that QEMU
 * keeps across a warm reset ({@code system_reset}); a power-off loses it,
 * as on a real board.
 *
 * <p>The region sits in the middle of the RAM below 4 GiB: the firmware
 * writes the top of that RAM at reset (OVMF its own data, SeaBIOS its tables,
 * QEMU's loader the initramfs), the kernel is loaded low, and KASLR keeps out
 * of a {@code memmap} region.
 *
 * @param address    where the region starts (physical)
 * @param size       its length
 * @param recordSize the size of one crash record; the region holds {@code size / recordSize} of them
 */
record RamoopsRegion(long address, long size, long recordSize) {

    static final long MIB = 1L << 20;
    static final long SIZE = MIB;
    static final long RECORD_SIZE = 128 * 1024;
    /** QEMU's q35 machine maps at most 2 GiB below 4 GiB once the RAM reaches 2816 MiB, all of it below that. */
    private static final int Q35_LOW_LIMIT_MIB = 2816;
    private static final int Q35_LOW_RAM_MIB = 2048;

    /** The region of a q35 machine with {@code memoryMiB} of RAM. */
    static RamoopsRegion forMemory(int memoryMiB) {
        if (memoryMiB < 4) {
            throw new IllegalArgumentException("a machine of " + memoryMiB + " MiB has no room for ramoops");
        }
        long lowMiB = memoryMiB >= Q35_LOW_LIMIT_MIB ? Q35_LOW_RAM_MIB : memoryMiB;
        return new RamoopsRegion(lowMiB / 2 * MIB, SIZE, RECORD_SIZE);
    }

    /**
     * The kernel's arguments for this region: the reservation, the pstore
     * backend, and ramoops' options. The board's init passes the
     * {@code ramoops.*} values to {@code modprobe ramoops} itself, since a
     * module loaded by busybox does not read them from the command line.
     */
    List<String> kernelArguments() {
        return List.of("memmap=" + (size / MIB) + "M$" + hex(address),
                "pstore.backend=ramoops",
                "ramoops.mem_address=" + hex(address),
                "ramoops.mem_size=" + hex(size),
                "ramoops.record_size=" + hex(recordSize));
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value).toLowerCase(Locale.ROOT);
    }
}
