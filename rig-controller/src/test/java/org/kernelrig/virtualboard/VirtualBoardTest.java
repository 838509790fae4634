package org.kernelrig.virtualboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.UserFolders;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.power.QemuPowerSwitch;
import org.kernelrig.testing.RequiredTool;

/**
 * The virtual board for real: Debian's kernel under QEMU, reached over SSH
 * with strict host key checking, its serial console read with jssc on the
 * pseudo-terminal, power-cycled over QMP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualBoardTest {

    static final Duration BOOT = Duration.ofSeconds(120);

    Board board;
    VirtualBoard virtual;
    PowerSwitch power;

    @BeforeAll
    void boot(@TempDir Path state) throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        board = BoardFile.load(Path.of("..", "inventory", "qemu-x86_64.yaml"), "inventory/qemu-x86_64.yaml");
        ImageBuilder builder = new ImageBuilder(UserFolders.cache(), System.out::println);
        virtual = VirtualBoard.open(board, state.resolve("0"), builder, null, System.out::println);
        power = new QemuPowerSwitch(virtual);
    }

    @AfterAll
    void shutDown() throws Exception {
        if (virtual != null) {
            virtual.stop();
            virtual.close();
        }
    }

    @Test
    @Order(1)
    void bootsAndAnswersSshWithStrictHostKeyChecking() throws Exception {
        long started = System.nanoTime();
        // paused first, so that the console is open before the kernel's first word
        virtual.startPaused();
        try (SerialConsoleReader console = new SerialConsoleReader(virtual.console())) {
            virtual.resume();
            await().atMost(BOOT).until(() -> console.text().contains("rig-init: ready"));
            await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> BoardShell.answers(virtual.sshSettings()));
            System.out.printf("virtual board: boot to SSH took %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertTrue(console.text().contains("Linux version " + virtual.image().orElseThrow().kernelRelease()),
                    "the kernel's banner on the serial console");
        }
        assertEquals(virtual.image().orElseThrow().kernelRelease(), BoardShell.run(virtual.sshSettings(), "uname -r").strip());
        assertEquals(Optional.of(PowerSwitch.State.ON), power.state());
    }

    @Test
    @Order(2)
    void offIsReallyOffAndACycleBringsTheBoardBackWithANewBoot() throws Exception {
        bootIfOff();
        String bootId = BoardShell.run(virtual.sshSettings(), "cat /proc/sys/kernel/random/boot_id").strip();
        int port = virtual.sshPort();

        power.off();
        assertFalse(virtual.isRunning(), "QEMU's process is gone");
        assertEquals(Optional.of(PowerSwitch.State.OFF), power.state());
        assertFalse(Files.exists(virtual.console()), "no console while off");
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }, "nothing listens on the SSH port while off");

        long started = System.nanoTime();
        power.cycle(board.power().offTime());
        await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> BoardShell.answers(virtual.sshSettings()));
        System.out.printf("virtual board: power cycle to SSH took %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertEquals(port, virtual.sshPort(), "the board keeps its SSH port across power cycles");
        String newBootId = BoardShell.run(virtual.sshSettings(), "cat /proc/sys/kernel/random/boot_id").strip();
        assertNotEquals(bootId, newBootId, "a new boot");
        double uptime = Double.parseDouble(BoardShell.run(virtual.sshSettings(), "cut -d' ' -f1 /proc/uptime").strip());
        assertTrue(uptime < 120, "uptime restarted, got " + uptime);
    }

    @Test
    @Order(3)
    void consoleIsInteractiveThroughJssc() throws Exception {
        bootIfOff();
        try (SerialConsoleReader console = new SerialConsoleReader(virtual.console())) {
            console.write("echo console-$((6*7))\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> console.text().contains("console-42"));
        }
    }

    @Test
    @Order(4)
    void usbStickIsAUsbDiskUnderItsByIdName() throws Exception {
        bootIfOff();
        String device = BoardShell.run(virtual.sshSettings(),
                "readlink -f /dev/disk/by-id/usb-QEMU_QEMU_HARDDISK_RIGSTICK0001-0:0").strip();
        assertTrue(device.matches("/dev/sd[a-z]"), device);
        String name = device.substring("/dev/".length());
        assertTrue(BoardShell.run(virtual.sshSettings(), "readlink -f /sys/block/" + name + "/device").contains("/usb"),
                "the disk sits on a USB bus");
        assertEquals(String.valueOf(board.qemu().usbDisk()),
                BoardShell.run(virtual.sshSettings(), "blockdev --getsize64 " + device).strip());

        BoardShell.run(virtual.sshSettings(), "printf rig-stick-marker | dd of=" + device + " conv=fsync 2>/dev/null");
        byte[] start = new byte[16];
        try (var in = Files.newInputStream(virtual.stateDir().resolve("usb-stick.img"))) {
            in.readNBytes(start, 0, start.length);
        }
        assertEquals("rig-stick-marker", new String(start, java.nio.charset.StandardCharsets.US_ASCII));
    }

    void bootIfOff() throws Exception {
        if (!virtual.isRunning()) {
            power.on();
        }
        await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> BoardShell.answers(virtual.sshSettings()));
    }
}
