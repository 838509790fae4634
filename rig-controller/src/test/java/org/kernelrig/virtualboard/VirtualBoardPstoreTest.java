package org.kernelrig.virtualboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.UserFolders;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.inventory.SshSettings;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.power.QemuPowerSwitch;
import org.kernelrig.testing.RequiredTool;

/**
 * The virtual boards keep the kernel's last words across a reboot, for
 * real: {@code qemu-x86_64} in RAM reserved for ramoops, kept by a warm
 * reset; {@code qemu-x86_64-efi} in OVMF's variable store, kept by a
 * power-off. Each test boots its board from a fresh state folder, so the
 * store is empty before the crash.
 */
class VirtualBoardPstoreTest {

    static final Duration BOOT = Duration.ofSeconds(150);
    static final String PANIC = "Kernel panic - not syncing: sysrq triggered crash";
    /** The UDP port of this test's IPv6 doctor. */
    static final int DOCTOR_PORT = 6680;

    @Test
    void ramoopsRecordOfASysrqPanicSurvivesAWarmReset(@TempDir Path state) throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        Board board = BoardFile.load(Path.of("..", "inventory", "qemu-x86_64.yaml"), "inventory/qemu-x86_64.yaml");
        try (VirtualBoard virtual = open(board, state)) {
            try {
                bootAndAwaitSsh(virtual, new QemuPowerSwitch(virtual));
                SshSettings ssh = virtual.sshSettings();
                assertEquals("ramoops", BoardShell.run(ssh, "cat /sys/module/pstore/parameters/backend").strip());
                assertTrue(BoardShell.run(ssh, "cat /proc/mounts").contains("pstore /sys/fs/pstore pstore"));
                assertEquals("", BoardShell.run(ssh, "ls /sys/fs/pstore").strip(), "RAM is blank at power-on");
                String bootId = BoardShell.run(ssh, "cat /proc/sys/kernel/random/boot_id").strip();

                panic(virtual);
                long reset = System.nanoTime();
                virtual.reset();
                String record = awaitOutput(ssh, "cat /sys/fs/pstore/dmesg-ramoops-0");
                System.out.printf("qemu-x86_64: QMP system_reset to dmesg-ramoops-0 read over SSH %.1f s%n",
                        seconds(reset));

                assertNotEquals(bootId, BoardShell.run(ssh, "cat /proc/sys/kernel/random/boot_id").strip(),
                        "a new boot");
                assertTrue(record.startsWith("Panic#1 Part1\n"), record);
                assertTrue(record.contains(PANIC), record);
                assertTrue(record.lines().skip(1).limit(3).allMatch(l -> l.matches("<\\d>\\[ *\\d+\\.\\d+\\] .*")),
                        "lines as <level>[time] text: " + record);
            } finally {
                virtual.stop();
            }
        }
    }

    @Test
    void efiBoardBootsOvmfSpeaksIpv6AndKeepsItsRecordsAcrossAPowerOff(@TempDir Path state) throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        RequiredTool.requireFile(EfiFirmware.CODE, "ovmf");
        Board board = BoardFile.load(Path.of("..", "inventory", "qemu-x86_64-efi.yaml"),
                "inventory/qemu-x86_64-efi.yaml");
        try (VirtualBoard virtual = open(board, state);
                DatagramSocket doctor = new DatagramSocket(new InetSocketAddress("::1", DOCTOR_PORT))) {
            PowerSwitch power = new QemuPowerSwitch(virtual);
            try {
                bootAndAwaitSsh(virtual, power);
                SshSettings ssh = virtual.sshSettings();
                assertEquals(virtual.image().orElseThrow().kernelRelease(), BoardShell.run(ssh, "uname -r").strip());
                assertTrue(BoardShell.run(ssh, "cat /proc/mounts").contains("efivarfs /sys/firmware/efi/efivars efivarfs"),
                        "booted by EFI firmware, its variables mounted");
                assertEquals("efi", BoardShell.run(ssh, "cat /sys/module/pstore/parameters/backend").strip());
                assertEquals("", BoardShell.run(ssh, "ls /sys/fs/pstore").strip(), "a fresh variable store");
                Path vars = virtual.efiVariableStore().orElseThrow();
                assertEquals(Files.size(EfiFirmware.VARS_TEMPLATE), Files.size(vars));

                long up = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> usableSiteAddresses(BoardShell.run(ssh, "cat /proc/net/if_inet6"))
                                .contains("fec0000000000000505400fffe123456"));
                System.out.printf("qemu-x86_64-efi: fec0::5054:ff:fe12:3456 usable %.1f s after SSH answered%n",
                        seconds(up));

                // netconsole to fec0::2 arrives on this machine's ::1, from ::1
                Set<InetAddress> senders = ConcurrentHashMap.newKeySet();
                StringBuffer udp = new StringBuffer();
                Thread receiver = new Thread(() -> receive(doctor, udp, senders), "ipv6-doctor");
                receiver.setDaemon(true);
                receiver.start();
                BoardShell.run(ssh, "modprobe netconsole netconsole=@/eth0," + DOCTOR_PORT
                        + "@fec0::2/ && dmesg -n 8 && echo rig-ipv6-marker > /dev/kmsg");
                await().atMost(Duration.ofSeconds(20)).until(() -> udp.toString().contains("rig-ipv6-marker"));
                assertEquals(Set.of(InetAddress.getByName("::1")), senders);

                panic(virtual);
                // The kernel writes its EFI records after the panic line and before the end of the panic:
                // a power cut in between leaves only some of them.
                await().atMost(Duration.ofSeconds(20)).until(() -> udp.toString().contains("---[ end " + PANIC));
                power.off();
                long start = System.nanoTime();
                power.on();
                String listing = awaitOutput(ssh, "ls /sys/fs/pstore | grep dmesg-efi-");
                System.out.printf("qemu-x86_64-efi: power-on after QMP quit to dmesg-efi-* listed over SSH %.1f s%n",
                        seconds(start));

                assertEquals(vars, virtual.efiVariableStore().orElseThrow(), "the same variable store");
                List<String> records = listing.lines().toList();
                assertTrue(records.size() >= 2, listing);
                String all = BoardShell.run(ssh, "cat /sys/fs/pstore/dmesg-efi-*");
                assertTrue(all.contains("Panic#1 Part1\n"), all);
                assertTrue(all.contains(PANIC), all);
            } finally {
                virtual.stop();
            }
        }
    }

    private static VirtualBoard open(Board board, Path state) throws Exception {
        return VirtualBoard.open(board, state.resolve("0"), new ImageBuilder(UserFolders.cache(), System.out::println),
                null, System.out::println);
    }

    private static void bootAndAwaitSsh(VirtualBoard virtual, PowerSwitch power) throws Exception {
        virtual.prepare();
        long started = System.nanoTime();
        power.on();
        await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> BoardShell.answers(virtual.sshSettings()));
        System.out.printf("%s: power-on to SSH answering %.1f s%n", virtual.board().name(), seconds(started));
    }

    /** A sysrq panic, launched detached; returns once the console shows it. */
    private static void panic(VirtualBoard virtual) throws Exception {
        try (SerialConsoleReader console = new SerialConsoleReader(virtual.console())) {
            BoardShell.fire(virtual.sshSettings(), "echo c > /proc/sysrq-trigger");
            await().atMost(Duration.ofSeconds(60)).until(() -> console.text().contains(PANIC));
        }
    }

    /** The output of {@code command} once it succeeds with some output, the board booting meanwhile. */
    private static String awaitOutput(SshSettings ssh, String command) {
        AtomicReference<String> output = new AtomicReference<>("");
        await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            output.set(BoardShell.run(ssh, command));
            return !output.get().isBlank();
        });
        return output.get();
    }

    /**
     * The site-scope addresses of eth0 in {@code /proc/net/if_inet6} that are
     * usable: neither tentative (duplicate address detection still running)
     * nor failed.
     */
    static Set<String> usableSiteAddresses(String ifInet6) {
        Set<String> usable = new HashSet<>();
        for (String line : ifInet6.lines().toList()) {
            // address, interface index, prefix length, scope, flags, interface
            String[] f = line.trim().split("\\s+");
            if (f.length != 6 || !f[5].equals("eth0")) {
                continue;
            }
            boolean site = Integer.parseInt(f[3], 16) == 0x40;
            boolean tentativeOrFailed = (Integer.parseInt(f[4], 16) & (0x40 | 0x08)) != 0;
            if (site && !tentativeOrFailed) {
                usable.add(f[0]);
            }
        }
        return usable;
    }

    private static void receive(DatagramSocket socket, StringBuffer into, Set<InetAddress> senders) {
        byte[] buffer = new byte[2048];
        try {
            socket.setSoTimeout(500);
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    senders.add(packet.getAddress());
                    into.append(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                } catch (SocketTimeoutException e) {
                    // look again whether the socket was closed
                }
            }
        } catch (java.io.IOException e) {
            // closed at the end of the test
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
