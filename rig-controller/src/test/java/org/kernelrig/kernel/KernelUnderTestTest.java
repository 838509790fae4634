package org.kernelrig.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.virtualboard.TestKernels;

/** What a board must answer to run the kernel under test, read from Debian's real package and image. */
class KernelUnderTestTest {

    @Test
    void aDebianPackageTellsItsReleaseAndTheVersionItsKernelReports(@TempDir Path dir) throws Exception {
        Path deb = TestKernels.debianPackage();

        KernelUnderTest kernel = KernelUnderTest.inspect(deb);

        assertTrue(kernel.isPackage());
        assertEquals("linux-image-" + kernel.release(), kernel.packageName());
        assertTrue(deb.getFileName().toString().startsWith(kernel.packageName() + "_" + kernel.packageVersion()
                .replace(":", "%3a") + "_"), deb + " vs " + kernel.packageVersion());
        // Debian's kernels report their package version in uname -v: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (...)".
        assertTrue(kernel.version().startsWith("#1 SMP"), kernel.version());
        assertTrue(kernel.version().contains("Debian " + kernel.packageVersion()), kernel.version());
        assertNull(kernel.mismatch(kernel.release(), kernel.version()));
    }

    @Test
    void aBzImageTellsTheSameAsItsPackage(@TempDir Path dir) throws Exception {
        KernelUnderTest fromPackage = KernelUnderTest.inspect(TestKernels.debianPackage());

        KernelUnderTest image = KernelUnderTest.inspect(TestKernels.bzImage(dir));

        assertEquals(fromPackage.release(), image.release());
        assertEquals(fromPackage.version(), image.version());
        assertTrue(!image.isPackage() && image.packageName() == null);
    }

    @Test
    void anotherReleaseOrAnotherBuildOfTheSameReleaseIsNotTheKernelUnderTest() {
        KernelUnderTest kernel = new KernelUnderTest(Path.of("k.deb"), "linux-image-6.1.0-56-amd64", "6.1.192-2",
                "6.1.0-56-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-10-31)");

        assertEquals("it runs 6.1.0-55-amd64, not 6.1.0-56-amd64",
                kernel.mismatch("6.1.0-55-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-10-31)"));
        assertTrue(kernel.mismatch("6.1.0-56-amd64", "#2 SMP PREEMPT_DYNAMIC Tue Nov 24 10:00:00 UTC 2026")
                .contains("whose version is '#2 SMP"));
        assertNull(new KernelUnderTest(Path.of("Image"), null, null, "6.1.0-56-arm64", null)
                .mismatch("6.1.0-56-arm64", "anything"), "an image that does not tell its version: the release decides");
    }

    @Test
    void theUnameVersionIsTheHeaderFromItsBuildNumberOn() {
        assertEquals("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-10-31)", KernelUnderTest.unameVersion(
                "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-10-31)"));
        assertEquals("#3 SMP Tue Nov 24 10:00:00 UTC 2026",
                KernelUnderTest.unameVersion("6.8.0-rc1+ (me@host) (gcc (Debian 12.2.0-14) 12.2.0) #3 SMP Tue Nov 24 10:00:00 UTC 2026"));
        assertNull(KernelUnderTest.unameVersion("6.8.0"));
    }

    @Test
    void aFileThatIsNoKernelSaysWhatToGive(@TempDir Path dir) throws Exception {
        LabException missing = assertThrows(LabException.class, () -> KernelUnderTest.inspect(dir.resolve("none.deb")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        LabException text = assertThrows(LabException.class,
                () -> KernelUnderTest.inspect(Files.writeString(dir.resolve("bzImage"), "hello")));
        assertTrue(text.getMessage().contains("not an x86 kernel image"), text.getMessage());
    }
}
