package org.kernelrig.board;

import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;

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

    /** Where the doctor sees a virtual board's netconsole datagrams come from. */
    public static String virtualPatientAddress(Board board) {
        return VirtualLabBoard.patientAddress(board);
    }
}
