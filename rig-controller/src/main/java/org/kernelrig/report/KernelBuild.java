package org.kernelrig.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.kernelrig.kernel.KernelUnderTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A kernel as KCIDB's checkout and build name it: the package or image given
 * to test (known by its SHA-256), or the kernel a board ran (known by what
 * {@code uname} said).
 *
 * @param localId        the checkout's and build's id without the origin
 * @param packageName    {@code linux-image-<release>}, or null
 * @param packageVersion the package's version, or null
 * @param file           the package's or image's file name, or null
 * @param sha256         the file's SHA-256, or null
 * @param machine        {@code uname -m} of a board that ran it, or null
 */
public record KernelBuild(String localId, String release, String version, String packageName, String packageVersion,
        String file, String sha256, String machine) {

    /** The kernel of runs that never reached their board. */
    static final KernelBuild UNKNOWN = new KernelBuild("kernel-unknown", null, null, null, null, null, null, null);

    /** The kernel given to test; reads the whole file once for its digest. */
    public static KernelBuild of(KernelUnderTest kernel) throws IOException {
        String digest = sha256(kernel.file());
        return new KernelBuild("kernel-" + digest.substring(0, 16), kernel.release(), kernel.version(),
                kernel.packageName(), kernel.packageVersion(), kernel.file().getFileName().toString(), digest, null);
    }

    /** The kernel a board ran, as it said. */
    static KernelBuild running(String release, String version, String machine) {
        String id = KcidbReport.sha256(release + "\n" + version + "\n" + machine).substring(0, 16);
        return new KernelBuild("kernel-" + id, release, version, null, null, null, null, machine);
    }

    KernelBuild withMachine(String uname) {
        return machine != null || uname == null ? this
                : new KernelBuild(localId, release, version, packageName, packageVersion, file, sha256, uname);
    }

    /** For merging the kernels of several runs: the first machine any of them named. */
    KernelBuild withMachineOf(KernelBuild other) {
        return withMachine(other.machine());
    }

    String architecture() {
        return KcidbReport.architecture(machine);
    }

    String describe() {
        if (release == null) {
            return "unknown kernel: the board was never reached";
        }
        if (packageName != null) {
            return packageName + " " + packageVersion + " (" + release + ")";
        }
        if (file != null) {
            return file + " (" + release + ")";
        }
        return release + (version == null ? "" : " " + version) + ", as the board ran it";
    }

    ObjectNode misc(ObjectMapper mapper) {
        ObjectNode misc = mapper.createObjectNode();
        put(misc, "release", release);
        put(misc, "version", version);
        put(misc, "package", packageName);
        put(misc, "package_version", packageVersion);
        put(misc, "file", file);
        put(misc, "sha256", sha256);
        put(misc, "machine", machine);
        return misc;
    }

    private static void put(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    private static String sha256(java.nio.file.Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
