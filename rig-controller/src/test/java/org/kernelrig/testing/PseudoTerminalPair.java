package org.kernelrig.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two pseudo-terminals joined by {@code socat}: what is written to one end
 * comes out of the other, as through a serial cable. Each end is reached
 * through a symbolic link, as {@code /dev/serial/by-id} names a USB adapter.
 * Killing it makes both ends vanish, as unplugging the adapter does.
 */
public final class PseudoTerminalPair implements AutoCloseable {

    private final Path boardEnd;
    private final Path rigEnd;
    private final Process socat;

    private PseudoTerminalPair(Path boardEnd, Path rigEnd, Process socat) {
        this.boardEnd = boardEnd;
        this.rigEnd = rigEnd;
        this.socat = socat;
    }

    /** Starts socat and waits until both links point at their terminals. */
    public static PseudoTerminalPair start(Path boardEnd, Path rigEnd) throws IOException {
        Path program = RequiredTool.require("socat", "socat");
        Files.createDirectories(boardEnd.toAbsolutePath().getParent());
        Files.createDirectories(rigEnd.toAbsolutePath().getParent());
        Process socat = new ProcessBuilder(List.of(program.toString(), "-d", "-d",
                "pty,raw,echo=0,link=" + boardEnd, "pty,raw,echo=0,link=" + rigEnd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        PseudoTerminalPair pair = new PseudoTerminalPair(boardEnd, rigEnd, socat);
        try {
            await("socat's pty links").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !socat.isAlive() || (Files.exists(boardEnd) && Files.exists(rigEnd)));
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        if (!socat.isAlive()) {
            throw new IOException("socat exited with " + socat.exitValue() + " before creating " + rigEnd);
        }
        return pair;
    }

    /** The end the board (or the device emulator) uses. */
    public Path boardEnd() {
        return boardEnd;
    }

    /** The end rig opens. */
    public Path rigEnd() {
        return rigEnd;
    }

    /** The terminal device the rig end points at now, e.g. {@code /dev/pts/4}. */
    public Path rigDevice() throws IOException {
        return rigEnd.toRealPath();
    }

    /** Ends socat: both terminals are hung up and their links removed, as when a USB adapter is unplugged. */
    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(boardEnd);
            Files.deleteIfExists(rigEnd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
