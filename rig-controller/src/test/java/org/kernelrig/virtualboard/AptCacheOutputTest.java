package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class AptCacheOutputTest {

    @Test
    void directDependsLeaveVirtualPackagesOut() {
        String out = """
                linux-headers-6.1.0-56-amd64
                  Depends: linux-headers-6.1.0-56-common
                  Depends: linux-kbuild-6.1
                  Depends: linux-compiler-gcc-12-x86
                  Depends: <awk>
                    mawk
                """;
        assertEquals(List.of("linux-headers-6.1.0-56-common", "linux-kbuild-6.1", "linux-compiler-gcc-12-x86"),
                AptCacheOutput.directDepends(out));
    }

    @Test
    void recursiveListingGivesEachPackageOnce() {
        String out = """
                dropbear-bin
                  Depends: libc6
                  Depends: libtomcrypt1
                libc6
                  Depends: libgcc-s1
                libtomcrypt1
                  Depends: libgmp10
                <virtual-thing>
                libgcc-s1
                libgmp10
                """;
        assertEquals(List.of("dropbear-bin", "libc6", "libtomcrypt1", "libgcc-s1", "libgmp10"),
                AptCacheOutput.packages(out));
    }
}
