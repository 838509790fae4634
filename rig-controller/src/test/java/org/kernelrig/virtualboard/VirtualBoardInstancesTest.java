package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;

/** Instances of a virtual board: each user of the board gets a folder of its own. */
class VirtualBoardInstancesTest {

    @Test
    void aSecondUserGetsTheNextFreeInstance(@TempDir Path root) throws Exception {
        Board board = BoardFile.load(Path.of("..", "inventory", "qemu-x86_64.yaml"), "inventory/qemu-x86_64.yaml");
        ImageBuilder builder = new ImageBuilder(root.resolve("cache"), line -> { });
        try (VirtualBoard first = VirtualBoard.openFree(board, root, builder, null, line -> { });
                VirtualBoard second = VirtualBoard.openFree(board, root, builder, null, line -> { })) {
            assertEquals(root.resolve("0"), first.stateDir());
            assertEquals(root.resolve("1"), second.stateDir());
            assertFalse(first.isRunning());
            assertEquals(0, first.sshPort(), "no port before the first start");
            assertTrue(first.status().isEmpty(), "an instance that never started is off");
        }
        try (VirtualBoard again = VirtualBoard.openFree(board, root, builder, null, line -> { })) {
            assertEquals(root.resolve("0"), again.stateDir(), "a released instance is free again");
        }
    }

    @Test
    void aPhysicalBoardIsRefused(@TempDir Path root) throws Exception {
        Board board = BoardFile.load(Path.of("..", "inventory", "examples", "bench-pi4.yaml"), "bench-pi4.yaml");
        LabException e = assertThrows(LabException.class, () -> VirtualBoard.open(board, root,
                new ImageBuilder(root, line -> { }), null, line -> { }));
        assertTrue(e.getMessage().contains("not a virtual board"), e.getMessage());
    }
}
