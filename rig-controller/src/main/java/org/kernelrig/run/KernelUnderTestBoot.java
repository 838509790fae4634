package org.kernelrig.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.board.BoardLifecycle;
import org.kernelrig.board.KernelInstall;
import org.kernelrig.console.TimelineEntry;
import org.kernelrig.crash.Crash;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.patient.SshPatient;

/**
 * Makes the board run the kernel under test: a virtual board boots it when
 * powered on, a board of the bench gets the package installed and reboots.
 * A kernel that does not come up is the kernel's failure, shown by the
 * console captured during its boot.
 */
final class KernelUnderTestBoot {

    /** The kernel under test did not come up: the kernel's failure, not the lab's. */
    static final class KernelDidNotBoot extends Exception {
        KernelDidNotBoot(KernelUnderTest kernel, String why) {
            super("kernel " + kernel.describe() + " did not boot: " + why);
        }
    }

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

    private final BoardLifecycle board;
    private final KernelUnderTest kernel;
    private final Witnesses witnesses;
    private final RunLog log;
    private CaptureWatch watch;
    /** Crashes seen while booting, the run's crashes when the kernel did not boot. */
    private List<Crash> crashes = List.of();

    KernelUnderTestBoot(BoardLifecycle board, KernelUnderTest kernel, Witnesses witnesses, RunLog log) {
        this.board = board;
        this.kernel = kernel;
        this.witnesses = witnesses;
        this.log = log;
    }

    List<Crash> crashes() {
        return crashes;
    }

    /**
     * Boots the kernel under test within {@code limit}; says how it went.
     *
     * @param switchedOn this run has just switched the board on
     */
    String boot(boolean switchedOn, String acceptHostKey, Duration limit, Duration offTime, Consumer<String> warn)
            throws LabException, InterruptedException, KernelDidNotBoot {
        Instant start = Instant.now();
        watch = new CaptureWatch(witnesses.timeline, null);
        witnesses.watchWith(watch);
        int bootEntry = witnesses.timeline.size();
        String oldBoot = null;
        boolean virtual = board.board().isVirtual();
        try {
            // A virtual board switched on by this run is booting the kernel under test already.
            if (!(virtual && switchedOn)) {
                try (SshPatient running = board.awaitNewBoot(limit, null, acceptHostKey, () -> null)) {
                    String mismatch = mismatchOn(running);
                    if (mismatch == null) {
                        return "already running " + kernel.release();
                    }
                    log.write("the board does not run the kernel under test: " + mismatch);
                    oldBoot = KernelInstall.bootId(running);
                    if (!virtual) {
                        log.write("installed " + kernel.describe() + "; next boot: "
                                + KernelInstall.install(running, kernel));
                        KernelInstall.reboot(running);
                    }
                }
                if (virtual) {
                    board.powerCycle(board.board().power().offTime());
                }
                bootEntry = witnesses.timeline.size();
            }
            int since = bootEntry;
            SshPatient booted;
            try {
                booted = board.awaitNewBoot(limit, oldBoot, acceptHostKey, () -> panicSince(since));
            } catch (LabException e) {
                crashes = crashesSince(since);
                String panic = panicSince(since);
                throw new KernelDidNotBoot(kernel, panic != null ? panic
                        : "the board did not answer within " + limit.toSeconds() + " s (limits.boot); see its console");
            }
            String mismatch;
            try (booted) {
                mismatch = mismatchOn(booted);
            }
            List<Crash> atBoot = crashesSince(since);
            if (mismatch != null && !atBoot.isEmpty()) {
                crashes = atBoot;
                throw new KernelDidNotBoot(kernel, "the board came back with another kernel after a crash during "
                        + "the boot: " + atBoot.get(0).title());
            }
            if (mismatch != null) {
                throw new LabException("board " + board.board().name() + " booted, but not the kernel under test: "
                        + mismatch, "make its boot loader boot the newly installed kernel");
            }
            atBoot.forEach(c -> warn.accept("the kernel under test crashed while booting: " + c.title()));
        } finally {
            watch.stop();
        }
        return String.format(Locale.ROOT, "booted %s in %.1f s", kernel.release(),
                Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }

    private List<Crash> crashesSince(int entry) {
        return watch.crashes().stream().filter(c -> c.firstLine() > entry).toList();
    }

    /**
     * What the console showed since {@code entry} that no boot survives: a
     * panic, or the boot stub halting (a kernel that cannot unpack itself); else null.
     */
    private String panicSince(int entry) {
        String panic = watch.crashes().stream().filter(c -> c.firstLine() > entry && c.panicked())
                .map(Crash::title).findFirst().orElse(null);
        if (panic != null) {
            return panic;
        }
        List<TimelineEntry> entries = witnesses.timeline.entries();
        for (int i = entries.size() - 1; i >= entry; i--) {
            if (entries.get(i).text().contains("-- System halted")) {
                for (int j = i - 1; j >= Math.max(entry, i - 4); j--) {
                    if (!entries.get(j).text().isBlank()) {
                        return "the boot stub halted: " + entries.get(j).text().strip();
                    }
                }
                return "the boot stub halted";
            }
        }
        return null;
    }

    /** Why the board does not run the kernel under test, asked in one round trip; null when it does. */
    private String mismatchOn(SshPatient on) throws LabException {
        String[] uname = on.run("uname -r; uname -v", COMMAND_LIMIT).output().strip().split("\n", 2);
        return kernel.mismatch(uname[0].strip(), uname.length > 1 ? uname[1].strip() : "");
    }
}
