package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kernelrig.inventory.QemuSettings;

class QemuCommandLineTest {

    static final BoardImage IMAGE = new BoardImage("6.1.0-56-amd64", Path.of("/c/vmlinuz"), Path.of("/c/initrd.gz"), true);

    @Test
    void forwardsSshOnLoopbackAndPutsTheConsoleOnAPtyWithALog() {
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "bios", null, 64L << 20), IMAGE, 40022,
                new QemuCommandLine.Files(Path.of("/s/qmp.sock"), Path.of("/s/qemu.pid"), Path.of("/s/serial.log"),
                        Path.of("/s/a,b/usb-stick.img")), null, false);
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
                null, true);
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
                new QemuSettings("x86_64", 512, 1, "bios", null, 0, "ramoops"), IMAGE, 40022, files(), null, false);
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
                new QemuSettings("x86_64", 512, 1, "efi", null, 0), IMAGE, 40022, files(), firmware, false);
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
                new QemuSettings("x86_64", 512, 1, "efi", null, 0, "none"), IMAGE, 40022, files(), null, false));
        assertFalse(append.contains("pstore") || append.contains("memmap") || append.contains("ramoops"), append);
    }

    @Test
    void userNetworkOffersIpv6BesideIpv4() {
        List<String> command = QemuCommandLine.build("qemu-system-x86_64", "rig-b-0",
                new QemuSettings("x86_64", 512, 1, "bios", null, 0), IMAGE, 40022, files(), null, false);
        String netdev = command.get(command.indexOf("-netdev") + 1);
        assertTrue(netdev.contains("ipv4=on") && netdev.contains("ipv6=on"), netdev);
    }

    @Test
    void ramoopsRegionFitsEveryMemorySizeTheInventoryAllows() {
        for (int mib = 128; mib <= 16 * 1024; mib += 64) {
            RamoopsRegion region = RamoopsRegion.forMemory(mib);
            long lowRam = (mib >= 2816 ? 2048 : mib) * RamoopsRegion.MIB;
            assertEquals(0, region.address() % RamoopsRegion.MIB, mib + "M: aligned to a megabyte");
            // clear of the kernel loaded at 16 MiB and of the firmware's and initramfs' top of low RAM
            assertTrue(region.address() >= 64 * RamoopsRegion.MIB, mib + "M: " + region);
            assertTrue(region.address() + region.size() <= lowRam - 32 * RamoopsRegion.MIB, mib + "M: " + region);
            assertEquals(8, region.size() / region.recordSize(), "eight records");
        }
        assertEquals(0x10000000L, RamoopsRegion.forMemory(512).address());
        assertEquals(0x40000000L, RamoopsRegion.forMemory(4096).address(), "half of the 2 GiB below 4 GiB");
    }
}
