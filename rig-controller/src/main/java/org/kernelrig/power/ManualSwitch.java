package org.kernelrig.power;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

import org.kernelrig.LabException;

/**
 * The operator as power switch: rig says on the terminal what to do with the
 * board's power and waits until Enter is pressed. Without a terminal (CI, a
 * pipe) it refuses at once rather than wait for someone who is not there.
 *
 * <p>Inventory: {@code power: {driver: manual}}.
 */
public final class ManualSwitch implements PowerSwitch {

    private final String board;
    private final BufferedReader in;
    private final PrintWriter out;

    /** The operator at this process's terminal, if it has one. */
    public ManualSwitch(String board) {
        this(board, System.console());
    }

    private ManualSwitch(String board, Console console) {
        this(board, console == null ? null : new BufferedReader(console.reader()),
                console == null ? null : console.writer());
    }

    /** The operator behind the given terminal streams; null streams mean there is no terminal. */
    ManualSwitch(String board, BufferedReader in, PrintWriter out) {
        this.board = board;
        this.in = in;
        this.out = out;
    }

    @Override
    public void on() throws LabException {
        ask("switch the power of board " + board + " ON");
    }

    @Override
    public void off() throws LabException {
        ask("switch the power of board " + board + " OFF");
    }

    @Override
    public void cycle(java.time.Duration offTime) throws LabException {
        ask("switch the power of board " + board + " OFF, wait " + Math.max(1, offTime.toSeconds())
                + " s, and switch it ON again");
    }

    /** Empty: rig does not ask the operator. */
    @Override
    public Optional<State> state() {
        return Optional.empty();
    }

    private void ask(String request) throws LabException {
        if (in == null || out == null) {
            throw PowerFailure.of(board, this, "needs an operator at a terminal, and there is none",
                    "run rig from a terminal, or give the board a relay or PDU in its inventory file");
        }
        out.print("rig: please " + request + ", then press Enter: ");
        out.flush();
        try {
            if (in.readLine() == null) {
                throw PowerFailure.of(board, this, "the terminal closed before the operator confirmed", null);
            }
        } catch (IOException e) {
            throw PowerFailure.of(board, this, "cannot read the terminal: " + e.getMessage(), null, e);
        }
    }

    @Override
    public String describe() {
        return "manual";
    }
}
