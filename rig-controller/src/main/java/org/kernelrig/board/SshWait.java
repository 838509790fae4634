package org.kernelrig.board;

import java.time.Duration;

import java.util.Optional;
import java.util.function.Consumer;

import org.kernelrig.LabException;
import org.kernelrig.Wait;
import org.kernelrig.inventory.SshSettings;
import org.kernelrig.patient.BoardUnreachableException;
import org.kernelrig.patient.SshPatient;

/** Waits for a board's SSH server to answer, as a board does some time after power-on. */
public final class SshWait {

    private static final Duration RETRY = Duration.ofSeconds(1);
    /**
     * One attempt's limit while waiting: a port forward (QEMU's, a NAT) may accept the connection
     * long before the board's SSH server listens, and an attempt then hangs until its limit.
     */
    private static final Duration ATTEMPT = Duration.ofSeconds(4);

    private SshWait() {
    }

    /**
     * Connects within {@code limit}, retrying while the board is unreachable;
     * a refused key or host key ends the wait at once.
     */
    public static SshPatient connect(LabBoard lab, String acceptHostKey, Duration limit)
            throws LabException, InterruptedException {
        return connect(lab, acceptHostKey, limit, null);
    }

    static SshPatient connect(LabBoard lab, String acceptHostKey, Duration limit, Consumer<String> log)
            throws LabException, InterruptedException {
        return connect(lab, acceptHostKey, limit, log, () -> null);
    }

    /** As {@link #connect(LabBoard, String, Duration)}, ending the wait early when {@code giveUp} says why. */
    public static SshPatient connect(LabBoard lab, String acceptHostKey, Duration limit, Consumer<String> log,
            java.util.function.Supplier<String> giveUp) throws LabException, InterruptedException {
        Wait wait = Wait.upTo(limit, "board " + lab.board().name() + " to answer SSH");
        BoardUnreachableException[] last = new BoardUnreachableException[1];
        int[] attempts = new int[1];
        Optional<SshPatient> answered = wait.poll(RETRY, () -> {
            attempts[0]++;
            try {
                return SshPatient.connect(shortAttempt(lab.sshTarget(acceptHostKey)));
            } catch (BoardUnreachableException e) {
                last[0] = e;
            }
            String reason = giveUp.get();
            if (reason != null) {
                throw new LabException("board " + lab.board().name() + " did not answer SSH: " + reason);
            }
            return null;
        });
        if (answered.isEmpty()) {
            throw new LabException("board " + lab.board().name() + " did not answer SSH within "
                    + limit.toSeconds() + " s (boot limit): " + last[0].getMessage(),
                    "is it powered and booting? Its serial console (rig console " + lab.board().name()
                            + ") shows why not; a slow board needs a longer limits.boot");
        }
        if (log != null) {
            log.accept("SSH answered after " + attempts[0] + " attempt" + (attempts[0] == 1 ? "" : "s"));
        }
        return answered.get();
    }

    private static SshPatient.Target shortAttempt(SshPatient.Target target) {
        SshSettings s = target.settings();
        Duration limit = s.connectTimeout().compareTo(ATTEMPT) < 0 ? s.connectTimeout() : ATTEMPT;
        return new SshPatient.Target(target.board(), target.host(), target.port(), new SshSettings(s.host(), s.port(),
                s.user(), s.identity(), s.knownHosts(), s.sudo(), limit), target.acceptFingerprint());
    }
}
