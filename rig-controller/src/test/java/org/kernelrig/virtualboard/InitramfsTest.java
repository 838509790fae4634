package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsTest {

    @Test
    void keepsFilesModesAndLinksWithFoldersFirst(@TempDir Path temp) throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("init"), "#!/bin/busybox sh\n");
        Files.setPosixFilePermissions(root.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("bin/busybox"), "binary");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Path archive = temp.resolve("initrd.gz");

        Initramfs.pack(root, archive);

        Map<String, CpioArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            for (CpioArchiveEntry entry; (entry = cpio.getNextEntry()) != null;) {
                assertEquals(CpioConstants.FORMAT_NEW, entry.getFormat());
                entries.put(entry.getName(), entry);
                contents.put(entry.getName(), new String(cpio.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(java.util.List.of("bin", "bin/busybox", "bin/sh", "init"), java.util.List.copyOf(entries.keySet()));
        assertEquals(CpioConstants.C_ISDIR, entries.get("bin").getMode() & CpioConstants.S_IFMT);
        assertEquals(CpioConstants.C_ISREG | 0755, entries.get("init").getMode());
        assertEquals(CpioConstants.C_ISLNK, entries.get("bin/sh").getMode() & CpioConstants.S_IFMT);
        assertEquals("busybox", contents.get("bin/sh"));
        assertEquals("#!/bin/busybox sh\n", contents.get("init"));
        assertEquals(0, entries.get("init").getUID());
    }
}
