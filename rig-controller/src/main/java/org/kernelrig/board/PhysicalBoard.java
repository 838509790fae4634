package org.kernelrig.board;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.netconsole.NetconsolePlan;
import org.kernelrig.netconsole.PatientAddress;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.power.PowerSwitch;
import org.kernelrig.power.PowerSwitches;
import org.kernelrig.serial.SerialConsole;

/** A board on the bench, reached as its inventory file says. */
final class PhysicalBoard implements LabBoard {

    private final Board board;
    private final PowerSwitch power;

    PhysicalBoard(Board board) throws LabException {
        this.board = board;
        this.power = PowerSwitches.forBoard(board);
    }

    @Override
    public Board board() {
        return board;
    }

    @Override
    public void prepare() {
    }

    @Override
    public PowerSwitch power() {
        return power;
    }

    @Override
    public SshPatient.Target sshTarget(String acceptFingerprint) {
        return new SshPatient.Target(board.name(), board.ssh().host(), board.ssh().port(), board.ssh(), acceptFingerprint);
    }

    @Override
    public Optional<SerialConsole> serialConsole(Path rawLog) throws LabException {
        if (board.serialConsole().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SerialConsole(board.name(), SerialConsole.linkFor(board), rawLog));
    }

    /** The inventory's doctor address, else this machine's address on the route to the board. */
    @Override
    public String doctorAddress(PatientFacts facts) throws LabException {
        if (board.doctor().address() != null) {
            return board.doctor().address();
        }
        // Connecting a UDP socket sends nothing; it only asks the kernel which address it would use.
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName(board.ssh().host()), 9));
            // The short form without a zone index: netconsole's parser takes nothing else.
            return PatientAddress.text(probe.getLocalAddress());
        } catch (IOException e) {
            throw new LabException("board " + board.name() + ": cannot tell this machine's address towards "
                    + board.ssh().host() + ": " + e.getMessage(), "set doctor.address in the board's file");
        }
    }

    @Override
    public String patientAddress(PatientFacts facts) throws LabException {
        if (board.netconsole().sourceIp() != null) {
            return board.netconsole().sourceIp();
        }
        // To an IPv6 doctor netconsole sends from the address its plan names.
        Optional<String> ipv6Source = NetconsolePlan.ipv6SourceOf(board.netconsole(), facts, doctorAddress(facts));
        if (ipv6Source.isPresent()) {
            return ipv6Source.get();
        }
        if (facts.route() != null && facts.route().source() != null) {
            return facts.route().source();
        }
        try {
            return PatientAddress.text(InetAddress.getByName(board.ssh().host()));
        } catch (UnknownHostException e) {
            throw new LabException("board " + board.name() + ": cannot resolve " + board.ssh().host());
        }
    }

    @Override
    public void close() {
        power.close();
    }
}
