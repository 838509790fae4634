package org.kernelrig.board;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.kernelrig.LabException;
import org.kernelrig.Wait;
import org.kernelrig.inventory.Board;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.power.PowerSwitch;

/**
 * A board's life as rig drives it, one state at a time: off, on, booted
 * with a known kernel, a shell over SSH, netconsole proven, crashed, and
 * recovered. A run and the commands that need "the board on and
 * reachable" go through it, so that each step is done one way and a step
 * out of order is a bug found at once, not a board left in a strange state.
 */
public final class BoardLifecycle implements AutoCloseable {

    /** Where the board is in its life, as far as rig knows. */
    public enum State { OFF, ON, BOOTED, SHELL, NETCONSOLE_PROVEN, CRASHED, RECOVERED }

    /** From each state, where it may go; any state may be switched off or on again. */
    private static final Map<State, Set<State>> NEXT = Map.of(
            State.OFF, EnumSet.of(State.ON),
            State.ON, EnumSet.of(State.BOOTED, State.SHELL),
            State.BOOTED, EnumSet.of(State.BOOTED, State.SHELL, State.RECOVERED),
            State.SHELL, EnumSet.of(State.BOOTED, State.SHELL, State.NETCONSOLE_PROVEN, State.CRASHED),
            State.NETCONSOLE_PROVEN, EnumSet.of(State.SHELL, State.CRASHED),
            State.CRASHED, EnumSet.of(State.BOOTED, State.RECOVERED),
            State.RECOVERED, EnumSet.of(State.SHELL, State.CRASHED));

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(3);
    private static final Duration NEW_BOOT_POLL = Duration.ofSeconds(1);

    private final LabBoard lab;
    private final Consumer<String> log;
    /** Null until rig has asked the switch or reached the board. */
    private State state;
    private String kernel;
    private SshPatient shell;
    private BootState boot = BootState.UNKNOWN;
    private boolean switchedOn;

    public BoardLifecycle(LabBoard lab, Consumer<String> log) {
        this.lab = lab;
        this.log = log;
    }

    /** The lifecycle of a board of the inventory; see {@link LabBoards#open}. */
    public static BoardLifecycle open(Board board, KernelUnderTest kernel, Consumer<String> progress,
            Consumer<String> log) throws LabException {
        return new BoardLifecycle(LabBoards.open(board, kernel, progress), log);
    }

    public LabBoard lab() {
        return lab;
    }

    public Board board() {
        return lab.board();
    }

    public PowerSwitch power() {
        return lab.power();
    }

    /** Where the board is; empty before rig asked. */
    public Optional<State> state() {
        return Optional.ofNullable(state);
    }

    /** The kernel release the board booted, once known. */
    public Optional<String> kernel() {
        return Optional.ofNullable(kernel);
    }

    /** What the boot that runs now told of itself, once {@link #learnBoot} asked. */
    public BootState boot() {
        return boot;
    }

    /** The shell rig holds on the board, or null. */
    public SshPatient shell() {
        return shell;
    }

    private void move(State to) {
        if (state != null && to != State.OFF && to != State.ON && !NEXT.get(state).contains(to)) {
            throw new IllegalStateException("board " + board().name() + ": " + state + " cannot become " + to);
        }
        state = to;
    }

    /** Switches the board on unless its switch says it is on; says what it did. */
    public String switchOnIfOff() throws LabException {
        lab.prepare();
        Optional<PowerSwitch.State> now = lab.power().state();
        if (now.isPresent() && now.get() == PowerSwitch.State.OFF) {
            lab.power().on();
            switchedOn = true;
            move(State.ON);
            return "switched on with " + lab.power().describe();
        }
        move(State.ON);
        return now.isPresent() ? "already on" : "state unknown; assumed on";
    }

    /** True when {@link #switchOnIfOff} found the board off and switched it on. */
    public boolean switchedOn() {
        return switchedOn;
    }

    /** For a command that must not switch the board on by itself: a lab error when the switch says off. */
    public void requireOn() throws LabException {
        if (lab.power().state().orElse(PowerSwitch.State.ON) == PowerSwitch.State.OFF) {
            move(State.OFF);
            throw new LabException("board " + board().name() + " is off", "switch it on: rig power " + board().name()
                    + " on");
        }
        move(State.ON);
    }

    /** Gets the board ready to be powered on (a virtual board builds its image on first use). */
    public void prepare() throws LabException {
        lab.prepare();
    }

    public void switchOn() throws LabException {
        lab.power().on();
        move(State.ON);
    }

    public void switchOff() throws LabException {
        closeShell();
        lab.power().off();
        move(State.OFF);
    }

    /** Cuts the power for {@code offTime} and switches it on again: a new boot follows. */
    public void powerCycle(Duration offTime) throws LabException {
        closeShell();
        lab.power().cycle(offTime);
        move(State.ON);
    }

    /** Logs in within {@code limit}, as a booting board allows; the shell is this lifecycle's. */
    public SshPatient login(String acceptHostKey, Duration limit) throws LabException, InterruptedException {
        closeShell();
        shell = SshWait.connect(lab, acceptHostKey, limit, log);
        move(State.SHELL);
        return shell;
    }

    /** Asks the running boot what recovering it needs (its boot id, panic timeout, pstore backend, watchdog). */
    public BootState learnBoot() throws LabException {
        boot = BootState.read(shell);
        return boot;
    }

    /** For a boot known otherwise than by asking it (tests of the ways back). */
    void learnBoot(BootState known) {
        boot = known;
    }

    /** The kernel this boot runs, as its shell told. */
    public void booted(String release) {
        kernel = release;
        move(State.BOOTED);
        move(State.SHELL);
    }

    public void netconsoleProven() {
        move(State.NETCONSOLE_PROVEN);
    }

    /** Netconsole taken down again, the board alive. */
    public void netconsoleRemoved() {
        move(State.SHELL);
    }

    public void crashed() {
        move(State.CRASHED);
    }

    /**
     * Waits within {@code limit} for a boot other than {@code oldBoot} (any
     * boot when null) to answer SSH; {@code giveUp} ends the wait early with
     * its reason. The session returned is the caller's.
     */
    public SshPatient awaitNewBoot(Duration limit, String oldBoot, String acceptHostKey, Supplier<String> giveUp)
            throws LabException, InterruptedException {
        Wait wait = Wait.upTo(limit, "a new boot of board " + board().name());
        SshPatient back = wait.poll(NEW_BOOT_POLL, () -> {
            if (wait.expired()) {
                return null;
            }
            SshPatient session = SshWait.connect(lab, acceptHostKey, wait.left(), log, giveUp);
            if (oldBoot == null || !KernelInstall.bootId(session).equals(oldBoot)) {
                return session;
            }
            // the old system, not yet down
            session.close();
            return null;
        }).orElseThrow(() -> new LabException("no new boot within " + limit.toSeconds() + " s"));
        move(State.BOOTED);
        return back;
    }

    /**
     * How the board came back after a crash.
     *
     * @param method  the way that worked, or the last one tried
     * @param failure why the run cannot go on (the board did not come back, or with another kernel); null when it can
     */
    public record Recovery(String method, boolean back, Duration took, String detail, LabException failure) {
    }

    /**
     * Brings the crashed board back in the way that keeps its crash records,
     * falling back to the next way when one fails, and checks it came back
     * with the kernel it crashed with.
     *
     * @param panicked the kernel panicked (it will not go on by itself)
     * @param alive    the board still runs commands over SSH
     * @param warn     told when the only way back loses the records the board keeps in RAM
     */
    public Recovery recover(boolean panicked, boolean alive, Duration bootLimit, Duration offTime,
            Consumer<String> warn) throws LabException, InterruptedException {
        RecoveryPlan plan = RecoveryPlan.choose(panicked, alive, boot.recordsInRam(), boot.panicTimeout(),
                lab.power().canReset(), boot.watchdog());
        if (boot.recordsInRam() && plan.steps().equals(List.of(RecoveryPlan.Step.POWER_CYCLE))) {
            warn.accept("the board keeps its crash records in RAM (ramoops), but nothing can restart it without "
                    + "cutting the power (no panic timeout, no warm reset, no watchdog): the power cycle loses them; "
                    + "set panic=10 on its kernel command line, or give its power switch a reset");
        }
        crashed();
        Instant start = Instant.now();
        RecoveryPlan.Step tried = null;
        LabException last = null;
        for (RecoveryPlan.Step step : plan.steps()) {
            tried = step;
            try {
                shell = comeBackBy(step, bootLimit, offTime);
                last = null;
                break;
            } catch (LabException e) {
                log.accept(step.label + " did not bring the board back: " + e.getMessage());
                last = e;
            }
        }
        Duration took = Duration.between(start, Instant.now());
        if (last != null) {
            return new Recovery(tried.label, false, took, last.getMessage(), new LabException("board "
                    + board().name() + " did not come back after the " + tried.label + ": " + last.getMessage(),
                    last.hint()));
        }
        move(State.RECOVERED);
        String release = shell.run("uname -r", COMMAND_LIMIT).output();
        if (!release.equals(kernel)) {
            return new Recovery(tried.label, true, took, "came back with kernel " + release, new LabException("board "
                    + board().name() + " came back with kernel " + release + ", not " + kernel));
        }
        move(State.SHELL);
        int index = plan.steps().indexOf(tried);
        String skipped = index == 0 ? null : "tried first: " + String.join(", ", plan.steps().subList(0, index)
                .stream().map(s -> s.label).toList());
        return new Recovery(tried.label, true, took, skipped, null);
    }

    /** Brings the board back one way; a new boot answering SSH, or a lab error. */
    private SshPatient comeBackBy(RecoveryPlan.Step step, Duration boot, Duration offTime)
            throws LabException, InterruptedException {
        switch (step) {
            case KERNEL_REBOOT -> {
                closeShell();
                return awaitNewBoot(Duration.ofSeconds(Math.max(0, this.boot.panicTimeout())).plus(boot));
            }
            case WARM_RESET -> {
                closeShell();
                lab.power().reset();
                return awaitNewBoot(boot);
            }
            case SYSTEM_REBOOT -> {
                shell.launchAsRoot("reboot -f || reboot");
                closeShell();
                return awaitNewBoot(boot);
            }
            case WATCHDOG_REBOOT -> {
                closeShell();
                return awaitNewBoot(boot);
            }
            default -> {
                closeShell();
                lab.power().cycle(offTime);
                return SshWait.connect(lab, null, boot, log);
            }
        }
    }

    private SshPatient awaitNewBoot(Duration limit) throws LabException, InterruptedException {
        return awaitNewBoot(limit, this.boot.bootId(), null, () -> null);
    }

    /** True when the shell is up and still runs a command: the board did not crash, or not yet. */
    public boolean answers() {
        if (shell == null || !shell.isConnected()) {
            return false;
        }
        try {
            return shell.run("true", ANSWER_LIMIT).ok();
        } catch (LabException e) {
            return false;
        }
    }

    private void closeShell() {
        if (shell != null) {
            shell.close();
        }
    }

    /**
     * Leaves the board as a run should: off when {@code leaveOn} is false,
     * on again when a power cycle was interrupted; says what it did, if anything.
     */
    public Optional<String> leave(boolean leaveOn, boolean powerCycleInterrupted) throws LabException {
        if (!leaveOn) {
            switchOff();
            return Optional.of("board switched off, as the scenario says");
        }
        if (powerCycleInterrupted) {
            switchOn();
            return Optional.of("board switched on after the interrupted power cycle");
        }
        return Optional.empty();
    }

    /** A line for the end of the run about the board's state, or empty. */
    public Optional<String> farewell(boolean leftOn) {
        return lab.farewell(leftOn);
    }

    @Override
    public void close() {
        closeShell();
        lab.close();
    }
}
