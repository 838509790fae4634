package org.kernelrig.board;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.config.NetworkAddresses;
import org.kernelrig.inventory.Board;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.power.QemuPowerSwitch;
import org.kernelrig.serial.Framing;
import org.kernelrig.serial.SerialConsole;
import org.kernelrig.serial.SerialPortLink;
import org.kernelrig.symbols.DebugInfo;
import org.kernelrig.virtualboard.BoardImage;
import org.kernelrig.virtualboard.ImageBuilder;
import org.kernelrig.UserFolders;
import org.kernelrig.virtualboard.VirtualBoard;

/**
 * The virtual board, reached like a physical one: SSH on a forwarded
 * loopback port, its serial pseudo-terminal read through jssc, QMP as its
 * power switch. A run uses the board's first instance, which stays running
 * between runs like a board left on; when another run holds it, a free
 * instance of its own.
 */
final class VirtualLabBoard implements LabBoard {

    /** QEMU's user network delivers the guest's datagrams to 10.0.2.2, an IPv4 doctor, from this host address. */
    static final String PATIENT_ADDRESS = "127.0.0.1";
    /** It delivers those to fec0::2, an IPv6 doctor, from the host's own ::1. */
    static final String PATIENT_ADDRESS_IPV6 = "::1";
    private static final int MAX_INSTANCES = 64;

    private final VirtualBoard machine;
    private final QemuPowerSwitch power;

    private VirtualLabBoard(VirtualBoard machine) {
        this.machine = machine;
        this.power = new QemuPowerSwitch(machine);
    }

    static VirtualLabBoard open(Board board, Path kernel, Consumer<String> progress) throws LabException {
        ImageBuilder builder = new ImageBuilder(UserFolders.cache(), progress);
        Path root = VirtualBoard.stateRoot(board.name());
        // A running instance that no other run holds is the board left on; failing that, the first free one.
        VirtualBoard firstFree = null;
        for (int instance = 0; instance < MAX_INSTANCES; instance++) {
            VirtualBoard candidate = VirtualBoard.open(board, root.resolve(String.valueOf(instance)), builder, kernel,
                    progress);
            if (candidate.isLockedByUs() && candidate.isRunning()) {
                if (firstFree != null) {
                    firstFree.close();
                }
                return new VirtualLabBoard(candidate);
            }
            if (candidate.isLockedByUs() && firstFree == null) {
                firstFree = candidate;
            } else {
                candidate.close();
            }
            if (!java.nio.file.Files.exists(root.resolve(String.valueOf(instance + 1)))) {
                break;
            }
        }
        if (firstFree == null) {
            return new VirtualLabBoard(VirtualBoard.openFree(board, root, builder, kernel, progress));
        }
        return new VirtualLabBoard(firstFree);
    }

    /** The board's own debug info, and the LKDTM-lite module its image was built with. */
    @Override
    public DebugInfo debugInfo() {
        DebugInfo declared = machine.board().debugInfo();
        return machine.image().flatMap(BoardImage::lkdtmDebugModule).map(m -> declared.withModule("lkdtm", m))
                .orElse(declared);
    }

    @Override
    public Board board() {
        return machine.board();
    }

    @Override
    public void prepare() throws LabException {
        machine.prepare();
    }

    @Override
    public PowerSwitch power() {
        return power;
    }

    @Override
    public SshPatient.Target sshTarget(String acceptFingerprint) throws LabException {
        return new SshPatient.Target(machine.board().name(), "127.0.0.1", machine.sshPort(), machine.sshSettings(),
                acceptFingerprint);
    }

    @Override
    public Optional<SerialConsole> serialConsole(Path rawLog) {
        // The link follows QEMU's new pseudo-terminal after a power cycle; the console reopens it.
        return Optional.of(new SerialConsole(machine.board().name(),
                new SerialPortLink(machine.console(), 115200, Framing.parse("8N1")), rawLog));
    }

    @Override
    public String doctorAddress(PatientFacts facts) {
        return machine.board().doctor().address();
    }

    @Override
    public String patientAddress(PatientFacts facts) {
        return patientAddress(machine.board());
    }

    /** Where the doctor sees a virtual board's netconsole datagrams come from: loopback, of the doctor's family. */
    static String patientAddress(Board board) {
        String doctor = board.doctor().address();
        return doctor != null && NetworkAddresses.isIpv6(doctor) ? PATIENT_ADDRESS_IPV6 : PATIENT_ADDRESS;
    }

    @Override
    public Optional<String> farewell(boolean leftOn) {
        return leftOn && machine.isRunning()
                ? Optional.of("board " + machine.board().name() + " is left on (QEMU keeps running); switch it off with: "
                        + "rig power " + machine.board().name() + " off")
                : Optional.empty();
    }

    @Override
    public void close() {
        machine.close();
    }
}
