package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.kernelrig.inventory.QemuSettings;

class QemuCommandLineTest {

    static final RamoopsRegion REGION = new RamoopsRegion(0x10000000L, RamoopsRegion.SIZE, RamoopsRegion.RECORD_SIZE);
    static final BoardImage IMAGE = new BoardImage("6.1.0-56-amd64", Path.of("/c/vmlinuz"), Path.of("/c/initrd.gz"), true);

    @Test
    void forwardsSshOnLoopbackAndPutsTheConsoleOnAPtyWithALog() {
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "bios", null, 64L << 20), IMAGE, 40022,
                new QemuCommandLine.Files(Path.of("/s/qmp.sock"), Path.of("/s/qemu.pid"), Path.of("/s/serial.log"),
                        Path.of("/s/a,b/usb-stick.img")), null, REGION, false);
        String line = String.join(" ", command);
        assertTrue(line.contains("hostfwd=tcp:127.0.0.1:40022-:22"), line);
        assertTrue(line.contains("-chardev pty,id=console,logfile=/s/serial.log,logappend=on -serial chardev:console"), line);
        assertTrue(line.contains("-qmp unix:/s/qmp.sock,server=on,wait=off"), line);
        assertTrue(line.contains("file=/s/a,,b/usb-stick.img"), "commas in paths are doubled: " + line);
        assertTrue(line.contains("serial=RIGSTICK0001"), line);
        assertTrue(command.get(command.indexOf("-append") + 1).contains("console=ttyS0,115200"));
        assertTrue(command.contains("-daemonize"));
        assertFalse(command.contains("-S"), "runs at once");
    }

    @Test
    void noStickWhenTheBoardHasNone() {
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 256, 2, "bios", null, 0), IMAGE, 40022,
                new QemuCommandLine.Files(Path.of("/s/qmp.sock"), Path.of("/s/qemu.pid"), Path.of("/s/serial.log"), null),
                null, REGION, true);
        assertFalse(String.join(" ", command).contains("usb-storage"));
        assertTrue(command.contains("256M") && command.contains("2"));
        assertTrue(command.contains("-S"), "paused until QMP cont");
    }

    static QemuCommandLine.Files files() {
        return new QemuCommandLine.Files(Path.of("/s/qmp.sock"), Path.of("/s/qemu.pid"), Path.of("/s/serial.log"), null);
    }

    static String append(List<String> command) {
        return command.get(command.indexOf("-append") + 1);
    }

    @Test
    void biosBoardReservesTheMiddleOfItsRamForRamoopsAndNamesTheBackend() {
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "bios", null, 0, "ramoops"), IMAGE, 40022, files(), null,
                RamoopsRegion.place(512, DEBIAN_KERNEL_END).orElseThrow(), false);
        List<String> words = List.of(append(command).split(" "));
        assertTrue(words.containsAll(List.of("memmap=1M$0x10000000", "pstore.backend=ramoops",
                "ramoops.mem_address=0x10000000", "ramoops.mem_size=0x100000", "ramoops.record_size=0x20000")),
                append(command));
        assertTrue(words.contains("panic=0"), "the kernel waits after a panic: " + append(command));
        assertFalse(String.join(" ", command).contains("pflash"), "SeaBIOS, QEMU's default");
        assertFalse(command.contains("-bios"));
    }

    @Test
    void efiBoardBootsOvmfWithItsOwnVariableStoreAndNamesTheEfiBackend() {
        EfiFirmware firmware = new EfiFirmware(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), Path.of("/s/a,b/efi-vars.fd"));
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "efi", null, 0), IMAGE, 40022, files(), firmware, null, false);
        String line = String.join(" ", command);
        assertTrue(line.contains("-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"), line);
        assertTrue(line.contains("-drive if=pflash,format=raw,unit=1,file=/s/a,,b/efi-vars.fd"), line);
        assertTrue(command.contains("-kernel") && command.contains("-initrd"), "OVMF boots the kernel given to QEMU");
        List<String> words = List.of(append(command).split(" "));
        assertTrue(words.contains("pstore.backend=efi"), append(command));
        assertFalse(append(command).contains("memmap") || append(command).contains("ramoops"), append(command));
    }

    @Test
    void noPstoreMeansNoBackendAndNoReservedMemory() {
        String append = append(QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "efi", null, 0, "none"), IMAGE, 40022, files(), null, null, false));
        assertFalse(append.contains("pstore") || append.contains("memmap") || append.contains("ramoops"), append);
    }

    @Test
    void userNetworkOffersIpv6BesideIpv4() {
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "bios", null, 0), IMAGE, 40022, files(), null, REGION, false);
        String netdev = command.get(command.indexOf("-netdev") + 1);
        assertTrue(netdev.contains("ipv4=on") && netdev.contains("ipv6=on"), netdev);
    }

    /** Debian 12's kernel: preferred at 16 MiB, init_size 0x3f98000, so it may take memory up to 79.6 MiB. */
    static final OptionalLong DEBIAN_KERNEL_END = OptionalLong.of(0x1000000L + 0x3f98000L);

    @Test
    void ramoopsRegionFitsEveryMemorySizeTheInventoryAllows() {
        for (int mib = 128; mib <= 16 * 1024; mib += 64) {
            RamoopsRegion region = RamoopsRegion.place(mib, DEBIAN_KERNEL_END).orElseThrow();
            long lowRam = (mib >= 2816 ? 2048 : mib) * RamoopsRegion.MIB;
            assertEquals(0, region.address() % RamoopsRegion.MIB, mib + "M: aligned to a megabyte");
            assertTrue(region.address() >= DEBIAN_KERNEL_END.getAsLong(), mib + "M: above the kernel: " + region);
            assertTrue(region.address() + region.size() <= lowRam - 32 * RamoopsRegion.MIB,
                    mib + "M: below the firmware's and the initramfs' top of low RAM: " + region);
            assertEquals(8, region.size() / region.recordSize(), "eight records");
        }
        assertEquals(0x10000000L, RamoopsRegion.place(512, DEBIAN_KERNEL_END).orElseThrow().address(), "the middle");
        assertEquals(0x40000000L, RamoopsRegion.place(4096, DEBIAN_KERNEL_END).orElseThrow().address(),
                "the middle of the 2 GiB below 4 GiB");
        assertEquals(0x5000000L, RamoopsRegion.place(128, DEBIAN_KERNEL_END).orElseThrow().address(),
                "above the kernel, which covers the middle of 128 MiB");
    }

    @Test
    void noRamoopsRegionWhereTheKernelLeavesNoRoom() {
        // a kernel with KASAN and the like may need hundreds of megabytes
        assertTrue(RamoopsRegion.place(256, OptionalLong.of(0x1000000L + (220L << 20))).isEmpty());
        assertTrue(RamoopsRegion.place(512, OptionalLong.of(0x1000000L + (220L << 20))).isPresent());
        assertEquals(RamoopsRegion.USUAL_KERNEL_END, RamoopsRegion.place(128, OptionalLong.empty()).orElseThrow().address(),
                "an old header: the usual kernel's footprint");
    }
}
