package org.kernelrig.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.config.Durations;
import org.kernelrig.inventory.Board;
import org.kernelrig.power.PowerSwitch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig power BOARD on|off|cycle|status}: the board's relay or PDU, by hand. */
@Command(name = "power", mixinStandardHelpOptions = true, description = {
    "Switch a board's power through the relay or PDU of its inventory file, or ask its state.",
    "A switch that does not answer or refuses is a lab error (exit 125)."})
final class PowerCommand implements Callable<Integer> {

    enum Action { on, off, cycle, status }

    @Parameters(index = "0", paramLabel = "BOARD", description = "The board's name in the inventory.")
    String boardName;

    @Parameters(index = "1", paramLabel = "ACTION", description = "One of: ${COMPLETION-CANDIDATES}.")
    Action action;

    @Option(names = "--off-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a cycle keeps the board off (default: the board's power.off-time).")
    Duration offTime;

    @Mixin
    InventoryOption inventory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Board board = inventory.board(boardName, spec);
        PrintWriter out = spec.commandLine().getOut();
        try (BoardLifecycle lifecycle = BoardLifecycle.open(board, null,
                message -> spec.commandLine().getErr().println("rig: " + message), message -> { })) {
            if (action == Action.on || action == Action.cycle) {
                lifecycle.prepare();
            }
            String by = " (" + lifecycle.power().describe() + ")";
            switch (action) {
                case on -> {
                    lifecycle.switchOn();
                    out.println("board " + board.name() + ": switched on" + by);
                }
                case off -> {
                    lifecycle.switchOff();
                    out.println("board " + board.name() + ": switched off" + by);
                }
                case cycle -> {
                    Duration off = offTime != null ? offTime : board.power().offTime();
                    lifecycle.powerCycle(off);
                    out.println("board " + board.name() + ": power cycled, off for " + Durations.format(off) + by);
                }
                case status -> {
                    Optional<PowerSwitch.State> state = lifecycle.power().state();
                    out.println("board " + board.name() + ": " + state.map(s -> s.name().toLowerCase())
                            .orElse("unknown, the switch cannot tell") + by);
                }
            }
        }
        return ExitCodes.OK;
    }
}
