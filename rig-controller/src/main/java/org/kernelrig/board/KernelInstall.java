package org.kernelrig.board;

import java.time.Duration;

import org.kernelrig.LabException;
import org.kernelrig.kernel.GrubMenu;
import org.kernelrig.kernel.KernelUnderTest;
import org.kernelrig.patient.CommandResult;
import org.kernelrig.patient.Patient;
import org.kernelrig.patient.ShellQuote;

/**
 * Puts a Debian kernel package on a board of the bench and makes its next
 * boot use it: upload, {@code dpkg -i}, and with GRUB a one-time boot entry
 * ({@code grub-reboot}); without GRUB the package's own hooks (flash-kernel,
 * raspi-firmware) make the newest kernel the one that boots.
 */
public final class KernelInstall {

    private static final String REMOTE_PACKAGE = "/var/tmp/rig-kernel-under-test.deb";
    private static final Duration UPLOAD_LIMIT = Duration.ofMinutes(10);
    private static final Duration DPKG_LIMIT = Duration.ofMinutes(10);
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(1);

    private KernelInstall() {
    }

    /** Installs the package; returns how the next boot picks it, for the log. */
    public static String install(Patient patient, KernelUnderTest kernel) throws LabException {
        if (!kernel.isPackage()) {
            throw new LabException("board " + patient.board() + " is a board of the bench: rig installs kernels on it "
                    + "as Debian packages, not as " + kernel.file().getFileName(),
                    "build a package (make bindeb-pkg) and give the linux-image-*.deb");
        }
        patient.uploadAsRoot(kernel.file(), REMOTE_PACKAGE, UPLOAD_LIMIT);
        String remote = ShellQuote.quote(REMOTE_PACKAGE);
        CommandResult dpkg = patient.runAsRoot("DEBIAN_FRONTEND=noninteractive dpkg -i " + remote + " 2>&1; s=$?; rm -f "
                + remote + "; exit $s", DPKG_LIMIT);
        if (!dpkg.ok()) {
            throw new LabException("board " + patient.board() + ": dpkg -i " + kernel.packageName() + " failed (exit "
                    + dpkg.exitStatus() + "): " + tail(dpkg.stdout()), "fix the package or the board's dpkg state");
        }
        CommandResult grub = patient.runAsRoot("command -v grub-reboot >/dev/null 2>&1 && cat /boot/grub/grub.cfg",
                COMMAND_LIMIT);
        if (!grub.ok()) {
            return "no GRUB: the boot loader's hooks chose the kernel";
        }
        String entry = GrubMenu.entryFor(grub.stdout(), kernel.release());
        if (entry == null) {
            throw new LabException("board " + patient.board() + ": /boot/grub/grub.cfg has no entry for "
                    + kernel.release() + " after installing " + kernel.packageName(),
                    "run update-grub on the board and look at its output");
        }
        patient.runAsRoot("grub-reboot " + ShellQuote.quote(entry), COMMAND_LIMIT).requireOk(patient.board(),
                "choosing the next boot with grub-reboot");
        return "grub-reboot '" + entry + "'";
    }

    /** The board's boot id, which changes at every boot. */
    public static String bootId(Patient patient) throws LabException {
        return patient.run("cat /proc/sys/kernel/random/boot_id", COMMAND_LIMIT).output().strip();
    }

    /** Reboots the board the way its system does, handing the command over before the connection dies. */
    public static void reboot(Patient patient) throws LabException {
        patient.launchAsRoot("systemctl reboot || reboot");
    }

    private static String tail(String output) {
        String[] lines = output.strip().split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 6), lines.length));
    }
}
