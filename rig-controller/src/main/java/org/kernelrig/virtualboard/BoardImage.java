package org.kernelrig.virtualboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A built virtual board image: a kernel and the initramfs that holds its
 * modules, busybox and dropbear.
 *
 * @param kernelRelease what {@code uname -r} says on the board, e.g. {@code 6.1.0-56-amd64}
 * @param kernel        the kernel (bzImage)
 * @param initramfs     the initramfs (gzip-compressed cpio)
 * @param lkdtm         true when the image carries the LKDTM-lite module
 */
public record BoardImage(String kernelRelease, Path kernel, Path initramfs, boolean lkdtm) {

    /** The LKDTM-lite module as built, with its debug info, kept beside the kernel. */
    public static final String LKDTM_DEBUG_MODULE = "lkdtm.ko";

    /** The module with debug info, for source lines of its frames; empty when the image has none. */
    public Optional<Path> lkdtmDebugModule() {
        Path module = kernel.resolveSibling(LKDTM_DEBUG_MODULE);
        return lkdtm && Files.isRegularFile(module) ? Optional.of(module) : Optional.empty();
    }
}
