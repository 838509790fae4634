package org.kernelrig.board;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.virtualboard.VirtualBoard;

/** Makes the {@link LabBoard} for a board of the inventory. */
public final class LabBoards {

    private LabBoards() {
    }

    /**
     * @param kernel the kernel under test, or null: a virtual board boots it instead of its own; a board of the
     *               bench gets it installed by the run
     */
    public static LabBoard open(Board board, KernelUnderTest kernel, Consumer<String> progress) throws LabException {
        if (board.isVirtual()) {
            return VirtualLabBoard.open(board, kernel == null ? null : kernel.file(), progress);
        }
        return new PhysicalBoard(board);
    }

    /**
     * The serial console of a virtual board's running instance, whichever
     * run holds it: reading it takes no lock. Empty when none runs.
     */
    public static Optional<Path> runningVirtualConsole(Board board) throws IOException {
        Path root = VirtualBoard.stateRoot(board.name());
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (var instances = Files.list(root)) {
            for (Path instance : instances.sorted().toList()) {
                Path pid = instance.resolve("qemu.pid");
                Path console = instance.resolve("console");
                if (Files.exists(pid) && Files.exists(console) && ProcessHandle
                        .of(Long.parseLong(Files.readString(pid).trim())).map(ProcessHandle::isAlive).orElse(false)) {
                    return Optional.of(console);
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Where the doctor sees a virtual board's netconsole datagrams come from. */
    public static String virtualPatientAddress(Board board) {
        return VirtualLabBoard.patientAddress(board);
    }
}
