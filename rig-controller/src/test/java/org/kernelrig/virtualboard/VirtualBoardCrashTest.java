package org.kernelrig.virtualboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelrig.UserFolders;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.power.QemuPowerSwitch;
import org.kernelrig.scenario.Lkdtm;
import org.kernelrig.testing.RequiredTool;

/**
 * Each crash type of the virtual board, for real: the trigger runs on the
 * board, and the kernel's own words for that crash arrive on the serial
 * console. One board serves all; it is power-cycled before each crash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualBoardCrashTest {

    static final Duration BOOT = Duration.ofSeconds(120);
    static final String DIRECT = "/sys/kernel/debug/provoke-crash/DIRECT";

    Board board;
    VirtualBoard virtual;
    PowerSwitch power;
    /** True when the board runs a kernel that can take the next crash: none since boot, or a warning only. */
    boolean fresh;

    @BeforeAll
    void boot(@TempDir Path state) throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        board = BoardFile.load(Path.of("..", "inventory", "qemu-x86_64.yaml"), "inventory/qemu-x86_64.yaml");
        virtual = VirtualBoard.open(board, state.resolve("0"), new ImageBuilder(UserFolders.cache(), System.out::println),
                null, System.out::println);
        power = new QemuPowerSwitch(virtual);
        power.on();
        awaitSsh();
        fresh = true;
    }

    @AfterAll
    void shutDown() throws Exception {
        if (virtual != null) {
            virtual.stop();
            virtual.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // a warning leaves the kernel running: the next crash needs no power cycle
        "WARNING             | WARNING: CPU:                                                | true",
        "WARNING_MESSAGE     | lkdtm-lite: WARNING_MESSAGE requested                        | true",
        "PANIC               | Kernel panic - not syncing: lkdtm-lite: PANIC requested      | false",
        "BUG                 | kernel BUG at                                                | false",
        "EXCEPTION           | BUG: kernel NULL pointer dereference                         | false",
        "ACCESS_NULL         | BUG: kernel NULL pointer dereference                         | false",
        "ACCESS_NONCANONICAL | general protection fault, probably for non-canonical address | false",
        "SOFTLOCKUP          | watchdog: BUG: soft lockup                                   | false",
        "HUNG_TASK           | blocked for more than 10 seconds                             | false",
    })
    void lkdtmCrashTypeShowsOnTheSerialConsole(String type, String expected, boolean survives) throws Exception {
        assertTrue(Lkdtm.CRASH_TYPES.contains(type), type + " is one of LKDTM's names");
        freshBoard();
        try (SerialConsoleReader console = new SerialConsoleReader(virtual.console())) {
            BoardShell.fire(virtual.sshSettings(), "echo " + type + " > " + DIRECT);
            fresh = false;
            await().atMost(Duration.ofSeconds(90)).until(() -> console.text().contains(expected));
            assertTrue(console.text().contains("lkdtm: Performing direct entry " + type), console.text());
            if (survives) {
                assertTrue(BoardShell.answers(virtual.sshSettings()), "the board still answers after a " + type);
                fresh = true;
            }
        }
    }

    /** The sysrq crash: seen on the serial console and received over UDP by netconsole, then a power cycle. */
    @Test
    void sysrqCrashArrivesOverSerialAndNetconsoleAndTheBoardComesBack() throws Exception {
        freshBoard();
        String expected = "Kernel panic - not syncing: sysrq triggered crash";
        try (DatagramSocket doctor = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                SerialConsoleReader console = new SerialConsoleReader(virtual.console())) {
            StringBuffer udp = new StringBuffer();
            Thread receiver = new Thread(() -> receive(doctor, udp), "netconsole-test");
            receiver.setDaemon(true);
            receiver.start();
            BoardShell.run(virtual.sshSettings(), "modprobe netconsole netconsole=@/eth0,"
                    + doctor.getLocalPort() + "@10.0.2.2/ && dmesg -n 8 && echo rig-marker > /dev/kmsg");
            await().atMost(Duration.ofSeconds(20)).until(() -> udp.toString().contains("rig-marker"));

            long started = System.nanoTime();
            BoardShell.fire(virtual.sshSettings(), "echo c > /proc/sysrq-trigger");
            fresh = false;
            await().atMost(Duration.ofSeconds(60)).until(() -> console.text().contains(expected));
            long seen = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> udp.toString().contains(expected));
            console.close();
            power.cycle(board.power().offTime());
            awaitSsh();
            fresh = true;
            System.out.printf("virtual board: sysrq crash seen on serial %.1f s after the trigger, "
                    + "trigger to SSH back after the power cycle %.1f s%n",
                    (seen - started) / 1e9, (System.nanoTime() - started) / 1e9);
        }
    }

    private static void receive(DatagramSocket socket, StringBuffer into) {
        byte[] buffer = new byte[2048];
        try {
            socket.setSoTimeout(500);
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    into.append(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                } catch (SocketTimeoutException e) {
                    // look again whether the socket was closed
                }
            }
        } catch (java.io.IOException e) {
            // closed at the end of the test
        }
    }

    private void freshBoard() throws Exception {
        if (!fresh) {
            power.cycle(board.power().offTime());
            awaitSsh();
            fresh = true;
        }
    }

    private void awaitSsh() {
        await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> BoardShell.answers(virtual.sshSettings()));
    }
}
