package org.kernelrig.virtualboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        ImageBuilder builder = new ImageBuilder(RigCache.directory(), System.out::println);
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
        power.on();
        try (SerialConsoleReader console = new SerialConsoleReader(virtual.console())) {
            await().atMost(BOOT).until(() -> console.text().contains("rig-init: ready"));
            await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> BoardShell.answers(virtual.sshSettings()));
            System.out.printf("virtual board: boot to SSH took %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertTrue(console.text().contains("Linux version " + virtual.image().orElseThrow().kernelRelease()),
                    "the kernel's banner on the serial console");
        }
        assertEquals(virtual.image().orElseThrow().kernelRelease(), BoardShell.run(virtual.sshSettings(), "uname -r").strip());
        assertEquals(Optional.of(PowerSwitch.State.ON), power.state());
    }
}
