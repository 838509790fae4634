package org.kernelrig.virtualboard;

import java.nio.file.Path;

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
}
