package org.kernelrig.virtualboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

import org.kernelrig.LabException;

/**
 * OVMF, the EFI firmware of a virtual board with {@code firmware: efi}: its
 * code, read-only and shared, and the instance's own copy of its variable
 * store, where the kernel keeps its crash records (EFI pstore). The copy is
 * made from Debian's template on first use and then kept, so that what the
 * kernel wrote there survives a power-off, as in a real board's flash.
 *
 * @param code the firmware (pflash unit 0, read-only)
 * @param vars the instance's variable store (pflash unit 1, writable)
 */
record EfiFirmware(Path code, Path vars) {

    /** The 4 MiB build: its variable store holds about four times as many records as the 2 MiB one's. */
    static final Path CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path VARS_TEMPLATE = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    /** The name of the variable store in an instance's state folder. */
    static final String VARS_FILE = "efi-vars.fd";

    /**
     * The firmware for the instance kept in {@code stateDir}, copying the
     * template variable store there when the instance has none (or one of
     * the wrong size, which QEMU would refuse).
     */
    static EfiFirmware forInstance(String boardName, Path stateDir, Consumer<String> progress) throws LabException {
        if (!Files.isRegularFile(CODE) || !Files.isRegularFile(VARS_TEMPLATE)) {
            throw new LabException("board " + boardName + " has firmware efi, which needs OVMF (" + CODE + " and "
                    + VARS_TEMPLATE + "); this machine lacks it", "install it with: sudo apt-get install -y ovmf");
        }
        Path vars = stateDir.resolve(VARS_FILE);
        try {
            long expected = Files.size(VARS_TEMPLATE);
            if (!Files.isRegularFile(vars) || Files.size(vars) != expected) {
                if (Files.exists(vars)) {
                    progress.accept("board " + boardName + ": its EFI variable store " + vars + " has "
                            + Files.size(vars) + " bytes, not " + expected + ": starting from a fresh one");
                }
                Path staged = stateDir.resolve(VARS_FILE + ".new");
                Files.copy(VARS_TEMPLATE, staged, StandardCopyOption.REPLACE_EXISTING);
                Files.move(staged, vars, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new LabException("board " + boardName + ": cannot make its EFI variable store " + vars + ": "
                    + e.getMessage());
        }
        return new EfiFirmware(CODE, vars);
    }
}
