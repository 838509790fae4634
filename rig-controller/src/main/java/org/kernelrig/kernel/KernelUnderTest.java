package org.kernelrig.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kernelrig.LabException;
import org.kernelrig.virtualboard.BzImageHeader;
import org.kernelrig.virtualboard.HostCommand;

/**
 * The kernel a run tests, given with {@code --kernel}: a Debian kernel package
 * or a bzImage, and what a board running it must answer to {@code uname -r}
 * and {@code uname -v}, read from the kernel image itself.
 *
 * @param file           the package or image
 * @param packageName    {@code linux-image-<release>}, or null for a bare image
 * @param packageVersion the package's version, or null for a bare image
 * @param release        what {@code uname -r} must say
 * @param version        what {@code uname -v} must say, or null when the image does not tell (not an x86 image)
 */
public record KernelUnderTest(Path file, String packageName, String packageVersion, String release, String version) {

    private static final Pattern VMLINUZ = Pattern.compile("\\./boot/vmlinuz-([0-9][A-Za-z0-9._+~-]{0,63})$",
            Pattern.MULTILINE);
    private static final Duration DPKG_LIMIT = Duration.ofMinutes(2);

    public boolean isPackage() {
        return packageName != null;
    }

    /** For messages: {@code linux-image-6.1.0-56-amd64 6.1.192-2} or {@code bzImage 6.1.0-56-amd64}. */
    public String describe() {
        return isPackage() ? packageName + " " + packageVersion : file.getFileName() + " " + release;
    }

    /** Why a board answering {@code runningRelease} and {@code runningVersion} does not run this kernel; null when it does. */
    public String mismatch(String runningRelease, String runningVersion) {
        if (!release.equals(runningRelease)) {
            return "it runs " + runningRelease + ", not " + release;
        }
        if (version != null && !version.equals(runningVersion)) {
            return "it runs a build of " + release + " whose version is '" + runningVersion + "', not '" + version + "'";
        }
        return null;
    }

    /** What {@code uname -v} says for a kernel whose image header reads {@code header}: the part from the build number. */
    static String unameVersion(String header) {
        Matcher build = Pattern.compile("(?:^|\\s)(#\\d.*)$").matcher(header);
        return build.find() ? build.group(1).strip() : null;
    }

    /** Reads a package or image; a file that is neither is a lab error that says what to give. */
    public static KernelUnderTest inspect(Path file) throws LabException {
        if (!Files.isRegularFile(file)) {
            throw new LabException("kernel " + file + " not found",
                    "give a Debian kernel package (linux-image-*.deb) or, for a virtual board, a bzImage");
        }
        file = file.toAbsolutePath();
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".deb")) {
            return new KernelUnderTest(file, null, null, BzImageHeader.release(file),
                    unameVersion(BzImageHeader.versionString(file)));
        }
        HostCommand.Result fields = HostCommand.of("dpkg-deb", "-f", file.toString(), "Package", "Version")
                .timeout(DPKG_LIMIT).check("reading " + file.getFileName());
        String name = field(fields.stdout(), "Package");
        String packageVersion = field(fields.stdout(), "Version");
        if (name == null || !name.startsWith("linux-image-")) {
            throw new LabException(file + " is the package " + name + ", not a kernel package",
                    "give a linux-image-<release> package");
        }
        String listing = HostCommand.of("dpkg-deb", "-c", file.toString()).timeout(DPKG_LIMIT)
                .check("listing " + file.getFileName()).stdout();
        Matcher vmlinuz = VMLINUZ.matcher(listing);
        if (!vmlinuz.find()) {
            throw new LabException(file + " (" + name + ") holds no /boot/vmlinuz-*: a metapackage?",
                    "give the package of one kernel release, e.g. linux-image-6.1.0-56-amd64_*.deb");
        }
        String release = vmlinuz.group(1);
        return new KernelUnderTest(file, name, packageVersion, release, versionInPackage(file, release));
    }

    /** The {@code uname -v} of the package's image, when it is an x86 image whose header says it. */
    private static String versionInPackage(Path deb, String release) throws LabException {
        Path work = null;
        try {
            work = Files.createTempDirectory("rig-kernel");
            HostCommand.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xf - -C \"$2\" \"./boot/vmlinuz-$3\"",
                    "sh", deb.toString(), work.toString(), release).timeout(DPKG_LIMIT)
                    .check("reading the kernel image of " + deb.getFileName());
            Path image = work.resolve("boot").resolve("vmlinuz-" + release);
            try {
                return unameVersion(BzImageHeader.versionString(image));
            } catch (LabException notX86) {
                return null;
            }
        } catch (IOException e) {
            throw new LabException("cannot read " + deb + ": " + e.getMessage());
        } finally {
            deleteTree(work);
        }
    }

    private static String field(String text, String name) {
        Matcher m = Pattern.compile("^" + name + ":\\s*(\\S+)", Pattern.MULTILINE).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind does no harm
        }
    }
}
