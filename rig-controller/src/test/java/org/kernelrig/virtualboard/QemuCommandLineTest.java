package org.kernelrig.virtualboard;

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
}
