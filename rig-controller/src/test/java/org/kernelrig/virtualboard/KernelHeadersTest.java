package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelHeadersTest {

    @Test
    void unpackedHeadersPointIntoTheirOwnTree(@TempDir Path root) throws Exception {
        Path flavour = Files.createDirectories(root.resolve("usr/src/linux-headers-6.1.0-56-amd64"));
        Files.createDirectories(root.resolve("usr/src/linux-headers-6.1.0-56-common"));
        Files.createDirectories(root.resolve("usr/lib/linux-kbuild-6.1/scripts"));
        Files.writeString(flavour.resolve("Makefile"), "include /usr/src/linux-headers-6.1.0-56-common/Makefile\n");
        Files.createSymbolicLink(flavour.resolve("scripts"), Path.of("../../lib/linux-kbuild-6.1/scripts"));
        Files.createSymbolicLink(flavour.resolve("common"), Path.of("/usr/src/linux-headers-6.1.0-56-common"));
        Files.writeString(flavour.resolve(".kernelvariables"),
                "CC = $(if $(DEBIAN_KERNEL_USE_CCACHE),$(CCACHE)) $(CROSS_COMPILE)gcc-12\n");

        KernelHeaders.relocate(root, flavour);

        assertEquals("include " + root + "/usr/src/linux-headers-6.1.0-56-common/Makefile\n",
                Files.readString(flavour.resolve("Makefile")));
        assertEquals(root.resolve("usr/src/linux-headers-6.1.0-56-common"), Files.readSymbolicLink(flavour.resolve("common")));
        assertEquals(Path.of("../../lib/linux-kbuild-6.1/scripts"), Files.readSymbolicLink(flavour.resolve("scripts")),
                "relative links stay");
        assertEquals("gcc-12", KernelHeaders.compiler(flavour));
    }
}
