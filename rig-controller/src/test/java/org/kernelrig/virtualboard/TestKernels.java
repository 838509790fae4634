package org.kernelrig.virtualboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.kernelrig.LabException;
import org.kernelrig.UserFolders;

/** Real kernels for tests: Debian's current kernel package, fetched once per machine, and a damaged copy of its image. */
public final class TestKernels {

    private TestKernels() {
    }

    /** Debian's current {@code linux-image-*.deb}, downloaded on first use into the cache. */
    public static synchronized Path debianPackage() throws LabException, IOException {
        DebianArchive archive = new DebianArchive();
        archive.ensureLists(line -> { });
        String name = archive.currentKernelPackage();
        Path folder = Files.createDirectories(UserFolders.cache().resolve("test-kernels"));
        try (var files = Files.list(folder)) {
            Path cached = files.filter(f -> f.getFileName().toString().startsWith(name + "_")).findFirst().orElse(null);
            if (cached != null) {
                return cached;
            }
        }
        Path downloads = Files.createTempDirectory(folder, ".download-");
        Path deb = archive.download(List.of(name), downloads).get(0);
        return Files.move(deb, folder.resolve(deb.getFileName()));
    }

    /** The package's bzImage, unpacked into {@code dir}. */
    public static Path bzImage(Path dir) throws LabException, IOException {
        Path root = Files.createDirectories(dir.resolve("kernel-root"));
        new DebianArchive().unpack(debianPackage(), root);
        try (var files = Files.list(root.resolve("boot"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).findFirst().orElseThrow();
        }
    }

    /**
     * The bzImage with 256 bytes of its compressed payload flipped: its boot
     * header is intact (same release), but the boot stub cannot unpack it.
     */
    public static Path damagedBzImage(Path dir) throws LabException, IOException {
        byte[] image = Files.readAllBytes(bzImage(dir));
        int middle = image.length / 2;
        for (int i = middle; i < middle + 256; i++) {
            image[i] ^= 0x5a;
        }
        return Files.write(dir.resolve("bzImage-damaged"), image);
    }
}
