package org.kernelrig.virtualboard;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory a virtual board's kernel keeps its crash records in with
 * ramoops: a megabyte that the kernel command line reserves
 * ({@code memmap=1M$ADDRESS}) so that nothing else uses it, and that QEMU
 * keeps across a warm reset ({@code system_reset}); a power-off loses it,
 * as on a real board.
 *
 * <p>The region sits in the middle of the RAM below 4 GiB, away from its
 * top, which the firmware writes at reset (OVMF its own data, SeaBIOS its
 * tables, QEMU's loader the initramfs). It never lies inside the memory the
 * kernel takes at its preferred address: KASLR keeps out of a {@code memmap}
 * region only when it finds room elsewhere, otherwise the kernel sits at
 * 16 MiB, and on a small machine it covers the middle, where ramoops would
 * then write into it.
 *
 * @param address    where the region starts (physical)
 * @param size       its length
 * @param recordSize the size of one crash record; the region holds {@code size / recordSize} of them
 */
record RamoopsRegion(long address, long size, long recordSize) {

    static final long MIB = 1L << 20;
    static final long SIZE = MIB;
    static final long RECORD_SIZE = 128 * 1024;
    /** What the region keeps clear of at the top of the RAM below 4 GiB: firmware data and the initramfs. */
    static final long TOP_MARGIN = 32 * MIB;
    /** Where the kernel ends at its preferred address when its header does not say: 16 MiB and 64 MiB of it. */
    static final long USUAL_KERNEL_END = 80 * MIB;
    /** QEMU's q35 machine maps at most 2 GiB below 4 GiB once the RAM reaches 2816 MiB, all of it below that. */
    private static final int Q35_LOW_LIMIT_MIB = 2816;
    private static final int Q35_LOW_RAM_MIB = 2048;
    private static final long ALIGNMENT = 2 * MIB;

    /**
     * The region of a q35 machine with {@code memoryMiB} of RAM booting a
     * kernel that ends at {@code kernelEnd} at its preferred address, or
     * empty when the machine has no room for it between the kernel and the
     * top margin.
     */
    static Optional<RamoopsRegion> place(int memoryMiB, OptionalLong kernelEnd) {
        long low = lowRam(memoryMiB);
        long end = kernelEnd.orElse(USUAL_KERNEL_END);
        long address = Math.max(low / 2 / MIB * MIB, (end + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        if (address + SIZE > low - TOP_MARGIN) {
            return Optional.empty();
        }
        return Optional.of(new RamoopsRegion(address, SIZE, RECORD_SIZE));
    }

    /** The RAM below 4 GiB of a q35 machine with {@code memoryMiB} of RAM, in bytes. */
    static long lowRam(int memoryMiB) {
        return (memoryMiB >= Q35_LOW_LIMIT_MIB ? Q35_LOW_RAM_MIB : memoryMiB) * MIB;
    }

    /**
     * The kernel's arguments for this region: the reservation, the pstore
     * backend, and ramoops' options. The board's init also gives the
     * {@code ramoops.*} values to {@code modprobe ramoops} as arguments: not
     * every module loader reads them from the command line (busybox's
     * {@code insmod} does not).
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
