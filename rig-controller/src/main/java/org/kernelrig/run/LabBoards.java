package org.kernelrig.run;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;

/** Makes the {@link LabBoard} for a board of the inventory. */
public final class LabBoards {

    private LabBoards() {
    }

    /** @param kernel a kernel to boot instead of a virtual board's own, or null */
    public static LabBoard open(Board board, Path kernel, Consumer<String> progress) throws LabException {
        if (board.isVirtual()) {
            return VirtualLabBoard.open(board, kernel, progress);
        }
        if (kernel != null) {
            throw new LabException("--kernel works only for virtual boards for now: install the kernel on board "
                    + board.name() + " and boot it first");
        }
        return new PhysicalBoard(board);
    }
}
