package org.kernelrig.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;

import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.board.LabBoard;
import org.kernelrig.inventory.Board;
import org.kernelrig.netconsole.ActiveNetconsole;
import org.kernelrig.netconsole.NetconsolePlan;
import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.NetconsoleSetup;
import org.kernelrig.netconsole.PersistentNetconsole;
import org.kernelrig.netconsole.ReceiverSettings;
import org.kernelrig.patient.FactsScript;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig netconsole BOARD}: netconsole on a board, set up and proven, printed, made permanent, or removed. */
@Command(name = "netconsole", mixinStandardHelpOptions = true, description = {
    "Set netconsole up on a board and prove it with a marker (it stays set up until --remove or a reboot).",
    "Or, with an option: print the modprobe line, make it permanent, undo that, or remove it."})
final class NetconsoleCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BOARD", description = "A board of the inventory.")
    String boardName;

    @ArgGroup(exclusive = true)
    Action action = new Action();

    static final class Action {
        @Option(names = "--print", description = "Only print the modprobe command that would be used.")
        boolean print;

        @Option(names = "--persist", description = "Write modprobe.d, modules-load.d and sysctl.d snippets so that "
                + "netconsole starts at every boot.")
        boolean persist;

        @Option(names = "--unpersist", description = "Remove those snippets.")
        boolean unpersist;

        @Option(names = "--remove", description = "Remove the netconsole rig set up.")
        boolean remove;
    }

    @Option(names = "--accept-host-key", paramLabel = "SHA256:...",
            description = "Accept this host key fingerprint once and record it (a new board).")
    String acceptHostKey;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the marker may take to arrive (default: ${DEFAULT-VALUE}).", defaultValue = "10s")
    Duration wait;

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
            lifecycle.requireOn();
            LabBoard lab = lifecycle.lab();
            SshPatient patient = lifecycle.login(acceptHostKey, board.ssh().connectTimeout());
            if (action.unpersist) {
                PersistentNetconsole.unpersist(patient);
                out.println("board " + board.name() + ": removed " + PersistentNetconsole.MODPROBE_FILE + ", "
                        + PersistentNetconsole.MODULES_LOAD_FILE + " and " + PersistentNetconsole.SYSCTL_FILE);
                return ExitCodes.OK;
            }
            if (action.remove) {
                out.println("board " + board.name() + ": " + new NetconsoleSetup(patient).removeAny());
                return ExitCodes.OK;
            }
            PatientFacts facts = FactsScript.collect(patient, lab.doctorAddress(null));
            NetconsolePlan plan = new NetconsoleSetup(patient).plan(board, facts, lab.doctorAddress(facts));
            plan.warnings().forEach(w -> out.println("warning: " + w));
            if (action.print) {
                out.println(plan.modprobeLine());
                out.println("dmesg -n 8");
                return ExitCodes.OK;
            }
            if (action.persist) {
                PersistentNetconsole.persist(patient, plan.target());
                out.println("board " + board.name() + ": netconsole will start at boot, sending to "
                        + doctor(plan) + " ("
                        + PersistentNetconsole.MODPROBE_FILE + ")");
                out.println(PersistentNetconsole.ADVICE);
                return ExitCodes.OK;
            }
            return setUpAndProve(lifecycle, facts, plan, out);
        }
    }

    /** The doctor as {@code 10.0.2.2:6666} or {@code [fec0::2]:6666}. */
    private static String doctor(NetconsolePlan plan) {
        String ip = plan.target().targetIp();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + plan.target().effectiveTargetPort();
    }

    private int setUpAndProve(BoardLifecycle lifecycle, PatientFacts facts, NetconsolePlan plan, PrintWriter out)
            throws Exception {
        Board board = lifecycle.board();
        String patientAddress = lifecycle.lab().patientAddress(facts);
        Path scratch = Files.createTempDirectory("rig-netconsole-");
        ReceiverSettings settings = ReceiverSettings.defaults(scratch).withPort(board.doctor().port())
                .withAllowed(Set.of(InetAddress.getByName(patientAddress)));
        try (NetconsoleReceiver receiver = new NetconsoleReceiver(settings)) {
            receiver.start();
            NetconsoleSetup setup = new NetconsoleSetup(lifecycle.shell());
            ActiveNetconsole active = setup.configure(plan, facts.consoleLogLevel(), true);
            Duration took = setup.prove(active, (text, limit) -> receiver.awaitText(patientAddress, text, limit), wait);
            lifecycle.netconsoleProven();
            out.println("board " + board.name() + ": netconsole sends to " + doctor(plan) + " (" + active.method() + ", target " + plan.target()
                    + "); the marker arrived after " + took.toMillis() + " ms");
            out.println("capture it with: rig listen --port " + plan.target().effectiveTargetPort());
            out.println("remove it with:  rig netconsole " + board.name() + " --remove");
        }
        return ExitCodes.OK;
    }
}
