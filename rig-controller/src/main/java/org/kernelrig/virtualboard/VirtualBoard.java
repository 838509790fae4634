package org.kernelrig.virtualboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.UserFolders;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.QemuSettings;
import org.kernelrig.inventory.SshSettings;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One instance of a virtual board: a QEMU machine with its own state folder,
 * SSH port, QMP socket and serial pseudo-terminal. Several instances of the
 * same board may run at once, each in its own folder. QEMU outlives this
 * object (and rig's process): {@link #stop()} ends it.
 *
 * <p>What a run needs to reach the board the way it reaches a physical one:
 * {@link #sshSettings()} (127.0.0.1, the forwarded port, rig's key and a
 * known_hosts file holding the board's host key, checked strictly),
 * {@link #console()} (a stable link to the serial pseudo-terminal, for jssc),
 * and {@link #qmpSocket()} for the power switch.
 */
public final class VirtualBoard implements AutoCloseable {

    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Board board;
    private final Path stateDir;
    private final ImageBuilder builder;
    private final Path kernel;
    private final Consumer<String> progress;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private BoardImage image;
    private int sshPort;

    private VirtualBoard(Board board, Path stateDir, ImageBuilder builder, Path kernel, Consumer<String> progress,
            FileChannel lockChannel, FileLock lock) {
        this.board = board;
        this.stateDir = stateDir;
        this.builder = builder;
        this.kernel = kernel;
        this.progress = progress;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.sshPort = readState().map(p -> Integer.parseInt(p.getProperty("sshPort", "0"))).orElse(0);
    }

    /** The folder that holds the state of a board's instances: {@code $XDG_STATE_HOME/rig/boards/<board>}. */
    public static Path stateRoot(String boardName) {
        return UserFolders.state().resolve("boards").resolve(boardName);
    }

    /**
     * The instance of {@code board} kept in {@code stateDir}, running or not.
     *
     * @param kernel a bzImage or Debian kernel package to boot instead of the board's; null for the board's
     *               own ({@code qemu.kernel}, else Debian's current kernel)
     */
    public static VirtualBoard open(Board board, Path stateDir, ImageBuilder builder, Path kernel,
            Consumer<String> progress) throws LabException {
        if (!board.isVirtual()) {
            throw new LabException("board " + board.name() + " is not a virtual board (it has no qemu: section)");
        }
        stateDir = stateDir.toAbsolutePath();
        try {
            Files.createDirectories(stateDir);
            FileChannel channel = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            return new VirtualBoard(board, stateDir, builder, kernel != null ? kernel : board.qemu().kernel(),
                    progress, channel, lock);
        } catch (IOException e) {
            throw new LabException("cannot use the state folder " + stateDir + " of board " + board.name() + ": "
                    + e.getMessage());
        }
    }

    /**
     * An instance of {@code board} that no other rig process uses and that is
     * not running: the first free one of {@code <stateRoot>/0, 1, 2...}.
     */
    public static VirtualBoard openFree(Board board, Path stateRoot, ImageBuilder builder, Path kernel,
            Consumer<String> progress) throws LabException {
        for (int instance = 0; instance < 64; instance++) {
            VirtualBoard candidate = open(board, stateRoot.resolve(String.valueOf(instance)), builder, kernel, progress);
            if (candidate.lock != null && !candidate.isRunning()) {
                return candidate;
            }
            candidate.close();
        }
        throw new LabException("board " + board.name() + ": 64 instances are in use in " + stateRoot,
                "stop some with rig board stop");
    }

    public Board board() {
        return board;
    }

    /** True when this process holds the instance's lock, so no other rig run uses it. */
    public boolean isLockedByUs() {
        return lock != null;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Builds the image if the cache lacks it; returns it. */
    public BoardImage prepare() throws LabException {
        if (image == null) {
            BoardImage cached = builder.cached(kernel);
            if (cached == null) {
                progress.accept("board " + board.name() + ": building its image on first use (a minute or two)");
                cached = builder.image(kernel);
            }
            image = cached;
        }
        return image;
    }

    /** Starts QEMU unless it runs already; returns when the machine runs (the kernel is booting). */
    public void start() throws LabException {
        start(false);
    }

    /**
     * Starts QEMU with the machine stopped before its first instruction, so
     * that a console capture can open {@link #console()} before the kernel says
     * anything; {@link #resume()} lets it run. Does nothing when QEMU runs already.
     */
    public void startPaused() throws LabException {
        start(true);
    }

    /** Lets a machine started with {@link #startPaused()} run. */
    public void resume() throws LabException {
        try (QmpClient qmp = QmpClient.connect(qmpSocket(), QMP_TIMEOUT)) {
            qmp.execute("cont");
        }
    }

    private synchronized void start(boolean paused) throws LabException {
        if (isRunning()) {
            return;
        }
        HostPackages.ensure(HostPackages.TO_RUN, progress);
        BoardImage prepared = prepare();
        QemuSettings settings = board.qemu();
        EfiFirmware firmware = settings.efi() ? EfiFirmware.forInstance(board.name(), stateDir, progress) : null;
        RamoopsRegion ramoops = settings.pstore().equals("ramoops") ? ramoopsRegion(settings, prepared) : null;
        Path stick = usbStick(settings);
        QemuCommandLine.Files files = new QemuCommandLine.Files(qmpSocket(), pidFile(), serialLog(), stick);
        if (qmpSocket().toString().length() > 100) {
            throw new LabException("the QMP socket path " + qmpSocket() + " is too long for a unix socket",
                    "set XDG_STATE_HOME to a shorter folder");
        }
        LabException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            if (sshPort == 0 || attempt > 0) {
                sshPort = freePort();
            }
            deleteIfExists(qmpSocket());
            deleteIfExists(pidFile());
            List<String> command = QemuCommandLine.build(program(), "rig-" + board.name() + "-"
                    + stateDir.getFileName(), settings, prepared, sshPort, files, firmware, ramoops, paused);
            HostCommand.Result result = HostCommand.of(command).in(stateDir).timeout(Duration.ofMinutes(2)).run();
            if (result.ok()) {
                last = null;
                break;
            }
            last = new LabException("board " + board.name() + ": QEMU did not start (exit " + result.exitCode() + ")",
                    result.errorTail());
            if (!result.stderr().contains("host forwarding")) {
                break;
            }
        }
        if (last != null) {
            throw last;
        }
        String pty = queryPty();
        try {
            Path link = console();
            deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(pty));
            Files.writeString(knownHosts(), knownHostsLine(builder.keys().hostPublicKey()) + "\n");
            Properties state = new Properties();
            state.setProperty("sshPort", String.valueOf(sshPort));
            state.setProperty("pty", pty);
            state.setProperty("kernelRelease", prepared.kernelRelease());
            state.setProperty("started", Instant.now().toString());
            try (OutputStream out = Files.newOutputStream(stateDir.resolve("instance.properties"))) {
                state.store(out, "virtual board " + board.name());
            }
        } catch (IOException e) {
            throw new LabException("board " + board.name() + ": cannot write its state in " + stateDir + ": "
                    + e.getMessage());
        }
    }

    /** Ends QEMU: asks over QMP, and kills the process if it does not go. Returns once the process is gone. */
    public synchronized void stop() throws LabException {
        Optional<ProcessHandle> process = process();
        if (process.isEmpty()) {
            cleanUp();
            return;
        }
        try (QmpClient qmp = QmpClient.connect(qmpSocket(), QMP_TIMEOUT)) {
            qmp.execute("quit");
        } catch (LabException e) {
            // QEMU is stuck or its socket is gone: the process is killed below
        }
        try {
            process.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.get().destroyForcibly();
            try {
                process.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception again) {
                throw new LabException("board " + board.name() + ": QEMU (pid " + process.get().pid()
                        + ") does not end", "kill it: kill -9 " + process.get().pid());
            }
        }
        cleanUp();
    }

    /** True while this instance's QEMU process lives. */
    public boolean isRunning() {
        return process().isPresent();
    }

    /** QEMU's own status of the machine ({@code running}, {@code paused}, ...), or empty when it is not running. */
    public Optional<String> status() throws LabException {
        if (!isRunning()) {
            return Optional.empty();
        }
        try (QmpClient qmp = QmpClient.connect(qmpSocket(), QMP_TIMEOUT)) {
            return Optional.of(qmp.execute("query-status").path("status").asText());
        }
    }

    /** A warm reset of the machine, like its reset button. */
    public void reset() throws LabException {
        if (!isRunning()) {
            throw new LabException("board " + board.name() + " is off: it cannot be reset");
        }
        try (QmpClient qmp = QmpClient.connect(qmpSocket(), QMP_TIMEOUT)) {
            qmp.execute("system_reset");
        }
    }

    /** How rig reaches the board over SSH: 127.0.0.1, the forwarded port, rig's key, the strict known_hosts. */
    public SshSettings sshSettings() throws LabException {
        SshSettings configured = board.ssh();
        return new SshSettings("127.0.0.1", sshPort(), "root", identity(), knownHosts(), false,
                configured != null ? configured.connectTimeout() : Duration.ofSeconds(30));
    }

    /** The loopback port forwarded to the board's SSH; 0 before the first start. */
    public int sshPort() {
        return sshPort;
    }

    /** rig's private key, which the board accepts for root. */
    public Path identity() throws LabException {
        return builder.keys().identity();
    }

    /** A known_hosts file with the board's host key for its current port. */
    public Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }

    /** A link to the serial console's pseudo-terminal; it points at the new one after each start. */
    public Path console() {
        return stateDir.resolve("console");
    }

    /** The pseudo-terminal itself, e.g. {@code /dev/pts/4}, while running. */
    public Optional<Path> pty() {
        return readState().map(p -> p.getProperty("pty")).map(Path::of).filter(p -> isRunning());
    }

    /** Everything the board wrote to its serial console, appended by QEMU across starts. */
    public Path serialLog() {
        return stateDir.resolve("serial.log");
    }

    public Path qmpSocket() {
        return stateDir.resolve("qmp.sock");
    }

    /**
     * The instance's EFI variable store, for a board with {@code firmware: efi}:
     * made from OVMF's template at the first power-on and kept across power
     * cycles, so the kernel's EFI pstore records survive a power-off.
     */
    public Optional<Path> efiVariableStore() {
        return board.qemu().efi() ? Optional.of(stateDir.resolve(EfiFirmware.VARS_FILE)) : Optional.empty();
    }

    /** The image this instance boots, once prepared. */
    public Optional<BoardImage> image() {
        return Optional.ofNullable(image);
    }

    private Path pidFile() {
        return stateDir.resolve("qemu.pid");
    }

    private Optional<ProcessHandle> process() {
        try {
            if (!Files.isRegularFile(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("qemu")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String queryPty() throws LabException {
        try (QmpClient qmp = QmpClient.connect(qmpSocket(), QMP_TIMEOUT)) {
            for (JsonNode chardev : qmp.execute("query-chardev")) {
                if (chardev.path("label").asText().equals("console")) {
                    String filename = chardev.path("filename").asText();
                    if (filename.startsWith("pty:")) {
                        return filename.substring(4);
                    }
                }
            }
        }
        throw new LabException("board " + board.name() + ": QEMU reports no pseudo-terminal for the serial console");
    }

    private String knownHostsLine(String hostPublicKey) {
        String[] parts = hostPublicKey.split("\\s+");
        return "[127.0.0.1]:" + sshPort + " " + parts[0] + " " + parts[1];
    }

    private Path usbStick(QemuSettings settings) throws LabException {
        if (settings.usbDisk() <= 0) {
            return null;
        }
        Path stick = stateDir.resolve("usb-stick.img");
        try (RandomAccessFile file = new RandomAccessFile(stick.toFile(), "rw")) {
            if (file.length() != settings.usbDisk()) {
                file.setLength(settings.usbDisk());
            }
        } catch (IOException e) {
            throw new LabException("board " + board.name() + ": cannot make its USB stick image " + stick + ": "
                    + e.getMessage());
        }
        return stick;
    }

    private RamoopsRegion ramoopsRegion(QemuSettings settings, BoardImage prepared) throws LabException {
        OptionalLong kernelEnd = BzImageHeader.loadEnd(prepared.kernel());
        return RamoopsRegion.place(settings.memoryMiB(), kernelEnd).orElseThrow(() -> new LabException(
                "board " + board.name() + ": " + settings.memoryMiB() + " MiB of memory leave no room for ramoops' "
                        + "records above the kernel (which may take the memory up to "
                        + kernelEnd.orElse(RamoopsRegion.USUAL_KERNEL_END) / RamoopsRegion.MIB + " MiB) and below the "
                        + "firmware's top " + RamoopsRegion.TOP_MARGIN / RamoopsRegion.MIB + " MiB",
                "give the board more memory (qemu.memory in " + board.file() + "), or write qemu.pstore: none"));
    }

    private static String program() throws LabException {
        Path qemu = HostCommand.find("qemu-system-x86_64");
        if (qemu == null) {
            throw new LabException("qemu-system-x86_64 not found", "install with: sudo apt-get install -y qemu-system-x86");
        }
        return qemu.toString();
    }

    private static int freePort() throws LabException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LabException("no free loopback port for the virtual board's SSH: " + e.getMessage());
        }
    }

    private Optional<Properties> readState() {
        Path file = stateDir.resolve("instance.properties");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void cleanUp() {
        deleteIfExists(qmpSocket());
        deleteIfExists(pidFile());
        deleteIfExists(console());
    }

    private static void deleteIfExists(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale file that cannot be removed shows up when QEMU cannot create it
        }
    }

    /** Releases this process's claim on the instance; QEMU keeps running. */
    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
