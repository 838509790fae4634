package org.kernelrig.virtualboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Packs a folder as an initramfs: a gzip-compressed cpio archive in the
 * "newc" format the kernel unpacks at boot. Every file belongs to root;
 * modes and symbolic links are kept.
 */
final class Initramfs {

    private Initramfs() {
    }

    static void pack(Path root, Path archive) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            // sorted, so that a folder comes before what it holds
            paths = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        try (OutputStream file = Files.newOutputStream(archive);
                GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
            for (Path path : paths) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    byte[] target = Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8);
                    cpio.putArchiveEntry(entry(name, CpioConstants.C_ISLNK | 0777, target.length));
                    cpio.write(target);
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    cpio.putArchiveEntry(entry(name, CpioConstants.C_ISDIR | permissions(path), 0));
                } else {
                    long size = Files.size(path);
                    cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | permissions(path), size));
                    Files.copy(path, cpio);
                }
                cpio.closeArchiveEntry();
            }
            cpio.finish();
        }
    }

    private static CpioArchiveEntry entry(String name, int mode, long size) {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
        entry.setMode(mode);
        entry.setUID(0);
        entry.setGID(0);
        entry.setNumberOfLinks((mode & CpioConstants.S_IFMT) == CpioConstants.C_ISDIR ? 2 : 1);
        entry.setTime(0);
        return entry;
    }

    private static int permissions(Path path) throws IOException {
        Set<PosixFilePermission> set = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission permission : set) {
            mode |= switch (permission) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
