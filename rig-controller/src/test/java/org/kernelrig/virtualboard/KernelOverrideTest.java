package org.kernelrig.virtualboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.UserFolders;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.testing.RequiredTool;

/** A kernel under test given as a Debian package boots in place of the board's own. */
class KernelOverrideTest {

    @Test
    void aDebianKernelPackageBootsWithItsModules(@TempDir Path temp) throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        Board board = BoardFile.load(Path.of("..", "inventory", "qemu-x86_64.yaml"), "inventory/qemu-x86_64.yaml");
        DebianArchive archive = new DebianArchive();
        String kernelPackage = archive.currentKernelPackage();
        Path deb = archive.download(List.of(kernelPackage), Files.createDirectories(temp.resolve("debs"))).get(0);
        ImageBuilder builder = new ImageBuilder(UserFolders.cache(), System.out::println);

        try (VirtualBoard virtual = VirtualBoard.open(board, temp.resolve("board"), builder, deb, System.out::println)) {
            try {
                virtual.start();
                BoardImage image = virtual.image().orElseThrow();
                assertNotEquals(builder.image(null).kernel(), image.kernel(), "an image of its own");
                assertTrue(image.kernel().getParent().getFileName().toString().startsWith(
                        kernelPackage.replace("linux-image-", "")), image.kernel().toString());
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> BoardShell.answers(virtual.sshSettings()));
                assertEquals(image.kernelRelease(), BoardShell.run(virtual.sshSettings(), "uname -r").strip());
                assertTrue(BoardShell.run(virtual.sshSettings(), "cat /proc/modules").contains("e1000 "),
                        "the package's modules are loaded");
            } finally {
                virtual.stop();
            }
        }
    }

    @Test
    void aFileThatIsNoKernelIsALabError(@TempDir Path temp) throws Exception {
        Path notAKernel = Files.writeString(temp.resolve("bzImage"), "hello");
        ImageBuilder builder = new ImageBuilder(temp.resolve("cache"), line -> { });
        LabException e = assertThrows(LabException.class, () -> builder.image(notAKernel));
        assertTrue(e.getMessage().contains("not an x86 kernel image"), e.getMessage());
    }
}
