package org.kernelrig.board;

import java.nio.file.Path;
import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.serial.SerialConsole;
import org.kernelrig.symbols.DebugInfo;

/**
 * A board as a run reaches it: where its SSH answers, its power switch, its
 * serial console, and the addresses its netconsole uses on both ends. The
 * resources of the inventory, made usable (labgrid's resource and driver).
 */
public interface LabBoard extends AutoCloseable {

    Board board();

    /** Gets the board ready to be powered on (a virtual board builds its image on first use). */
    void prepare() throws LabException;

    PowerSwitch power();

    /** Where to log in, once the board is on. */
    SshPatient.Target sshTarget(String acceptFingerprint) throws LabException;

    /** The board's serial console, writing its raw bytes to {@code rawLog}; empty when it has none. */
    Optional<SerialConsole> serialConsole(Path rawLog) throws LabException;

    /** The address the patient sends its netconsole to. */
    String doctorAddress(PatientFacts facts) throws LabException;

    /** The address the doctor sees the patient's datagrams come from. */
    String patientAddress(PatientFacts facts) throws LabException;

    /** Where the debug info of the board's kernel is, for source lines of its crashes. */
    default DebugInfo debugInfo() {
        return board().debugInfo();
    }

    /** A line for the end of the run about the board's state, or empty. */
    default Optional<String> farewell(boolean leftOn) {
        return Optional.empty();
    }

    @Override
    void close();
}
