package org.kernelrig.virtualboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.kernelrig.LabException;

/**
 * Builds the virtual board's image from Debian's packages, needing nothing
 * but the Debian archive: the kernel package and its modules, busybox-static,
 * dropbear with its libraries, and the LKDTM-lite module built against the
 * kernel's headers. Images are cached per kernel under
 * {@code <cache>/images/}; a build goes to a temporary folder that is renamed
 * when complete, so an interrupted build never leaves half an image.
 */
public final class ImageBuilder {

    /**
     * The modules the board loads or offers: network, netconsole, the USB
     * stick, configfs, and the pstore backends (ramoops in reserved RAM, EFI
     * variables) with efivarfs.
     */
    static final List<String> MODULES = List.of("e1000", "netconsole", "configfs", "xhci_pci", "xhci_hcd",
            "usb_storage", "sd_mod", "scsi_mod", "ramoops", "efivarfs", "efi_pstore",
            // the checksums sd_mod's integrity code asks the crypto API for by name
            "crc64_rocksoft_generic", "crct10dif_generic");

    private static final String RESOURCES = "/org/kernelrig/virtualboard/";
    private static final List<String> LKDTM_FILES = List.of("lkdtm_lite.c", "Kbuild");
    /** Changed whenever the layout of the image changes, so old images are not used. */
    private static final String FORMAT = "1";

    private final Path cache;
    private final Consumer<String> progress;
    private final DebianArchive archive = new DebianArchive();

    /** @param progress receives one line per step, for the user */
    public ImageBuilder(Path cache, Consumer<String> progress) {
        this.cache = cache;
        this.progress = progress;
    }

    /** The cache folder this builder uses. */
    public Path cache() {
        return cache;
    }

    /** The SSH keys the images of this cache are made with. */
    public BoardKeys keys() throws LabException {
        return BoardKeys.ensure(cache.resolve("keys"));
    }

    /**
     * The image for {@code kernel}: a bzImage or a Debian kernel package
     * ({@code .deb}), or null for Debian's current kernel. Built when the
     * cache lacks it.
     */
    public BoardImage image(Path kernel) throws LabException {
        HostPackages.ensure(java.util.Map.of("apt-get", "apt", "dpkg-deb", "dpkg", "ssh-keygen", "openssh-client"),
                progress);
        BoardKeys keys = keys();
        KernelSource source = resolve(kernel);
        Path directory = cache.resolve("images").resolve(source.cacheName() + "-" + recipe(keys));
        BoardImage cached = load(directory);
        if (cached != null) {
            return cached;
        }
        try {
            Files.createDirectories(directory.getParent());
            try (FileChannel channel = FileChannel.open(directory.getParent().resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                cached = load(directory);
                if (cached != null) {
                    return cached;
                }
                return build(source, keys, directory);
            }
        } catch (IOException e) {
            throw new LabException("cannot build the virtual board's image in " + directory.getParent() + ": "
                    + e.getMessage(), null, e);
        }
    }

    /** The image if it is already in the cache, or null; builds nothing and downloads nothing. */
    public BoardImage cached(Path kernel) throws LabException {
        BoardKeys keys = keys();
        return load(cache.resolve("images").resolve(resolve(kernel).cacheName() + "-" + recipe(keys)));
    }

    /** Where a kernel comes from. {@code packageFile} is null for a plain bzImage. */
    private record KernelSource(String packageName, Path packageFile, Path bzImage, String cacheName) {
    }

    private KernelSource resolve(Path kernel) throws LabException {
        if (kernel == null) {
            archive.ensureLists(progress);
            String name = archive.currentKernelPackage();
            return new KernelSource(name, null, null, name.replaceFirst("^linux-image-", ""));
        }
        if (!Files.isRegularFile(kernel)) {
            throw new LabException("kernel " + kernel + " not found",
                    "give a bzImage or a Debian kernel package (linux-image-*.deb)");
        }
        String digest = digest(kernel).substring(0, 12);
        if (kernel.getFileName().toString().endsWith(".deb")) {
            String name = archive.field(kernel, "Package");
            if (!name.startsWith("linux-image-")) {
                throw new LabException(kernel + " is the package " + name + ", not a kernel package (linux-image-*)");
            }
            return new KernelSource(name, kernel, null, name.replaceFirst("^linux-image-", "") + "-" + digest);
        }
        String release = BzImageHeader.release(kernel);
        return new KernelSource(null, null, kernel, release + "-" + digest);
    }

    private BoardImage build(KernelSource source, BoardKeys keys, Path directory) throws IOException, LabException {
        HostPackages.ensure(HostPackages.TO_BUILD, progress);
        Path work = Files.createTempDirectory(directory.getParent(), ".build-");
        try {
            progress.accept("building the virtual board's image in " + directory);
            archive.ensureLists(progress);
            Path downloads = Files.createDirectories(work.resolve("debs"));
            Path kernelRoot = Files.createDirectories(work.resolve("kernel"));
            Path userland = Files.createDirectories(work.resolve("userland"));
            Path libraries = Files.createDirectories(work.resolve("libraries"));
            Path image = Files.createDirectories(work.resolve("image"));
            Path initramfs = Files.createDirectories(work.resolve("initramfs"));

            // the kernel: its package (given or from the archive), or the archive's package of a bzImage's release
            String kernelPackage = source.packageName();
            Path kernelDeb = source.packageFile();
            if (source.bzImage() != null) {
                String release = BzImageHeader.release(source.bzImage());
                kernelPackage = "linux-image-" + release;
                if (!archive.has(kernelPackage)) {
                    progress.accept("the archive has no " + kernelPackage + ": the image gets no modules, so "
                            + "the kernel needs e1000 built in");
                    kernelPackage = null;
                }
            }
            if (kernelDeb == null && kernelPackage != null) {
                progress.accept("downloading " + kernelPackage);
                kernelDeb = archive.download(List.of(kernelPackage), downloads).get(0);
            }
            String release;
            if (kernelDeb != null) {
                archive.unpack(kernelDeb, kernelRoot);
                release = moduleRelease(kernelRoot);
            } else {
                release = BzImageHeader.release(source.bzImage());
            }
            Path vmlinuz = source.bzImage() != null ? source.bzImage() : kernelRoot.resolve("boot/vmlinuz-" + release);
            if (!Files.isRegularFile(vmlinuz)) {
                throw new LabException(kernelPackage + " holds no boot/vmlinuz-" + release);
            }

            // busybox, dropbear and every library dropbear needs
            List<String> dropbear = archive.closure("dropbear-bin");
            progress.accept("downloading busybox-static and " + String.join(" ", dropbear));
            List<String> userPackages = new ArrayList<>(dropbear);
            userPackages.add("busybox-static");
            for (Path deb : archive.download(userPackages, downloads)) {
                boolean library = !deb.getFileName().toString().startsWith("dropbear-bin_")
                        && !deb.getFileName().toString().startsWith("busybox-static_");
                archive.unpack(deb, library ? libraries : userland);
                if (library) {
                    archive.unpack(deb, userland);
                }
            }

            // the LKDTM-lite module, against the kernel's headers
            Path lkdtm = null;
            if (kernelPackage != null) {
                lkdtm = buildLkdtm(kernelPackage, release, downloads, kernelRoot, work);
            }

            progress.accept("assembling the initramfs");
            copy(userland.resolve("bin/busybox"), initramfs.resolve("bin/busybox"));
            copy(userland.resolve("usr/sbin/dropbear"), initramfs.resolve("usr/sbin/dropbear"));
            copyLibraries(libraries, initramfs);
            if (kernelDeb != null) {
                copyModules(kernelRoot, release, lkdtm, initramfs);
            }
            writeSystemFiles(initramfs, keys, userland, work);
            Initramfs.pack(initramfs, image.resolve("initrd.gz"));
            Files.copy(vmlinuz, image.resolve("vmlinuz"));
            if (lkdtm != null) {
                // the module as built, with its DWARF: reports give its frames source lines
                Files.copy(lkdtm, image.resolve(BoardImage.LKDTM_DEBUG_MODULE));
            }

            Properties properties = new Properties();
            properties.setProperty("kernelRelease", release);
            properties.setProperty("lkdtm", String.valueOf(lkdtm != null));
            try (var out = Files.newOutputStream(image.resolve("image.properties"))) {
                properties.store(out, "rig virtual board image");
            }
            Files.move(image, directory, StandardCopyOption.ATOMIC_MOVE);
            progress.accept("image ready: kernel " + release + (lkdtm != null ? ", with LKDTM-lite" : ""));
            return load(directory);
        } finally {
            deleteTree(work);
        }
    }

    private Path buildLkdtm(String kernelPackage, String release, Path downloads, Path kernelRoot, Path work)
            throws IOException, LabException {
        String headers = kernelPackage.replaceFirst("^linux-image-", "linux-headers-");
        if (!archive.has(headers)) {
            progress.accept("the archive has no " + headers + ": the image gets no LKDTM-lite module");
            return null;
        }
        List<String> packages = new ArrayList<>(List.of(headers));
        // the flavour's headers need the common headers and kbuild; the compiler comes from this machine
        archive.depends(headers).stream().filter(p -> p.startsWith("linux-headers-") || p.startsWith("linux-kbuild-"))
                .forEach(packages::add);
        progress.accept("downloading " + String.join(" ", packages));
        for (Path deb : archive.download(packages, downloads)) {
            archive.unpack(deb, kernelRoot);
        }
        Path headerTree = kernelRoot.resolve("usr/src/" + headers);
        KernelHeaders.relocate(kernelRoot, headerTree);
        Path source = Files.createDirectories(work.resolve("lkdtm-lite"));
        for (String file : LKDTM_FILES) {
            Files.write(source.resolve(file), resource("lkdtm-lite/" + file));
        }
        String compiler = KernelHeaders.compiler(headerTree);
        HostPackages.ensure(java.util.Map.of(compiler, compiler), progress);
        progress.accept("building LKDTM-lite for " + release + " with " + compiler);
        HostCommand.of("make", "-C", headerTree.toString(), "M=" + source, "modules")
                .timeout(Duration.ofMinutes(10)).check("building the LKDTM-lite module");
        Path module = source.resolve("lkdtm.ko");
        if (!Files.isRegularFile(module)) {
            throw new LabException("building the LKDTM-lite module left no lkdtm.ko in " + source);
        }
        return module;
    }

    private static String moduleRelease(Path kernelRoot) throws IOException, LabException {
        Path modules = kernelRoot.resolve("lib/modules");
        try (Stream<Path> list = Files.list(modules)) {
            return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).findFirst()
                    .orElseThrow(() -> new LabException("the kernel package has no lib/modules/<release>"));
        }
    }

    private static void copyLibraries(Path libraries, Path initramfs) throws IOException {
        for (String dir : List.of("lib64", "lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu")) {
            Path from = libraries.resolve(dir);
            if (!Files.isDirectory(from)) {
                continue;
            }
            try (Stream<Path> list = Files.list(from)) {
                for (Path file : list.filter(f -> f.getFileName().toString().matches(".*\\.so(\\.[0-9.]+)?")).toList()) {
                    Path to = initramfs.resolve(dir).resolve(file.getFileName());
                    Files.createDirectories(to.getParent());
                    Files.copy(file, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private void copyModules(Path kernelRoot, String release, Path lkdtm, Path initramfs)
            throws IOException, LabException {
        HostCommand.of("depmod", "-b", kernelRoot.toString(), release).timeout(Duration.ofMinutes(5))
                .check("depmod for " + release);
        Path from = kernelRoot.resolve("lib/modules/" + release);
        Path to = initramfs.resolve("lib/modules/" + release);
        ModulesDep dep = ModulesDep.parse(Files.readString(from.resolve("modules.dep")));
        List<String> builtIn = new ArrayList<>();
        for (String file : dep.filesFor(MODULES, builtIn)) {
            copy(from.resolve(file), to.resolve(file));
        }
        if (!builtIn.isEmpty()) {
            progress.accept("built into the kernel or absent: " + String.join(" ", builtIn));
        }
        for (String file : List.of("modules.order", "modules.builtin", "modules.builtin.modinfo")) {
            if (Files.exists(from.resolve(file))) {
                copy(from.resolve(file), to.resolve(file));
            }
        }
        if (lkdtm != null) {
            copy(lkdtm, to.resolve("extra/lkdtm.ko"));
        }
        HostCommand.of("depmod", "-b", initramfs.toString(), release).timeout(Duration.ofMinutes(5))
                .check("depmod for the initramfs");
    }

    private void writeSystemFiles(Path initramfs, BoardKeys keys, Path userland, Path work)
            throws IOException, LabException {
        for (String dir : List.of("proc", "sys", "dev", "tmp", "run", "etc/dropbear", "var/log")) {
            Files.createDirectories(initramfs.resolve(dir));
        }
        Path init = initramfs.resolve("init");
        Files.write(init, resource("init.sh"));
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        // an empty password field: dropbear refuses password logins (-s), the key is the way in
        Files.writeString(initramfs.resolve("etc/passwd"), "root::0:0:root:/root:/bin/sh\n");
        Files.writeString(initramfs.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(initramfs.resolve("etc/shells"), "/bin/sh\n");
        Path ssh = Files.createDirectories(initramfs.resolve("root/.ssh"));
        Files.copy(keys.identityPublic(), ssh.resolve("authorized_keys"));
        Files.setPosixFilePermissions(ssh.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(initramfs.resolve("root"), PosixFilePermissions.fromString("rwx------"));

        // dropbear reads its own key format: convert the OpenSSH host key with the downloaded dropbearconvert
        Path hostKey = initramfs.resolve("etc/dropbear/dropbear_ed25519_host_key");
        Path staged = work.resolve("host_ed25519");
        Files.copy(keys.hostKey(), staged);
        String libraryPath = userland.resolve("lib/x86_64-linux-gnu") + ":" + userland.resolve("usr/lib/x86_64-linux-gnu");
        HostCommand.of(userland.resolve("lib64/ld-linux-x86-64.so.2").toString(), "--library-path", libraryPath,
                userland.resolve("usr/bin/dropbearconvert").toString(), "openssh", "dropbear", staged.toString(),
                hostKey.toString()).timeout(Duration.ofMinutes(1)).check("converting the host key for dropbear");
        Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-------"));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
    }

    private static BoardImage load(Path directory) throws LabException {
        Path file = directory.resolve("image.properties");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage());
        }
        return new BoardImage(properties.getProperty("kernelRelease"), directory.resolve("vmlinuz"),
                directory.resolve("initrd.gz"), Boolean.parseBoolean(properties.getProperty("lkdtm")));
    }

    /** A short digest of everything an image is made from besides the kernel. */
    private static String recipe(BoardKeys keys) throws LabException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(FORMAT.getBytes(StandardCharsets.UTF_8));
            sha.update(String.join(",", MODULES).getBytes(StandardCharsets.UTF_8));
            sha.update(resource("init.sh"));
            for (String file : LKDTM_FILES) {
                sha.update(resource("lkdtm-lite/" + file));
            }
            sha.update(Files.readAllBytes(keys.identityPublic()));
            sha.update(keys.hostPublicKey().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 10);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new LabException("cannot read the virtual board's recipe: " + e.getMessage());
        }
    }

    private static String digest(Path file) throws LabException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageBuilder.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing from rig's jar");
            }
            return in.readAllBytes();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // what is left is in a hidden temporary folder and harmless
        }
    }
}
