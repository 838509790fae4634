package org.kernelrig.virtualboard;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.kernelrig.LabException;

/**
 * Reads an x86 kernel image's boot header: its version string and release, as
 * {@code file(1)} does, and how much memory it takes at boot.
 */
public final class BzImageHeader {

    private static final int HEADER_MAGIC_OFFSET = 0x202;
    private static final int VERSION_POINTER_OFFSET = 0x20e;
    private static final int PROTOCOL_OFFSET = 0x206;
    private static final int PREFERRED_ADDRESS_OFFSET = 0x258;
    private static final int INIT_SIZE_OFFSET = 0x260;

    private BzImageHeader() {
    }

    /**
     * Where the kernel ends in memory when it runs at its preferred physical
     * address (as it does when KASLR finds no room elsewhere): that address
     * plus the memory the kernel needs to boot ({@code init_size}, boot
     * protocol 2.10 and later). Empty for an older header.
     */
    static OptionalLong loadEnd(Path bzImage) throws LabException {
        try (RandomAccessFile file = new RandomAccessFile(bzImage.toFile(), "r")) {
            if (!hasBootHeader(file)) {
                return OptionalLong.empty();
            }
            file.seek(PROTOCOL_OFFSET);
            int protocol = Short.toUnsignedInt(Short.reverseBytes(file.readShort()));
            if (protocol < 0x20a) {
                return OptionalLong.empty();
            }
            file.seek(PREFERRED_ADDRESS_OFFSET);
            long preferred = Long.reverseBytes(file.readLong());
            file.seek(INIT_SIZE_OFFSET);
            long initSize = Integer.toUnsignedLong(Integer.reverseBytes(file.readInt()));
            return OptionalLong.of(preferred + initSize);
        } catch (IOException e) {
            throw new LabException("cannot read " + bzImage + ": " + (e.getMessage() != null ? e.getMessage() : e));
        }
    }

    private static boolean hasBootHeader(RandomAccessFile file) throws IOException {
        byte[] magic = new byte[4];
        if (file.length() >= 0x400) {
            file.seek(HEADER_MAGIC_OFFSET);
            file.readFully(magic);
        }
        return new String(magic, StandardCharsets.ISO_8859_1).equals("HdrS");
    }

    /** The kernel release, e.g. {@code 6.1.0-56-amd64}: the first word of the header's version string. */
    public static String release(Path bzImage) throws LabException {
        String release = versionString(bzImage).split("\\s", 2)[0];
        if (!release.matches("[0-9][A-Za-z0-9._+~-]{0,63}")) {
            throw new LabException(bzImage + " names no kernel release in its header");
        }
        return release;
    }

    /**
     * The header's version string, e.g. {@code 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP
     * PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-10-31)}: the release, the builder, and what {@code uname -v} says.
     */
    public static String versionString(Path bzImage) throws LabException {
        try (RandomAccessFile file = new RandomAccessFile(bzImage.toFile(), "r")) {
            if (!hasBootHeader(file)) {
                throw new LabException(bzImage + " is not an x86 kernel image (no boot header)",
                        "give a bzImage (arch/x86/boot/bzImage) or a Debian kernel package");
            }
            file.seek(VERSION_POINTER_OFFSET);
            int pointer = Short.toUnsignedInt(Short.reverseBytes(file.readShort()));
            byte[] version = new byte[256];
            file.seek(0x200L + pointer);
            int length = Math.max(0, file.read(version));
            int end = 0;
            while (end < length && version[end] != 0) {
                end++;
            }
            return new String(version, 0, end, StandardCharsets.ISO_8859_1).strip();
        } catch (IOException e) {
            throw new LabException("cannot read " + bzImage + ": " + (e.getMessage() != null ? e.getMessage() : e));
        }
    }
}
