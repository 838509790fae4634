package org.kernelrig.netconsole;

import java.time.Duration;

import org.kernelrig.LabException;
import org.kernelrig.patient.Patient;

/**
 * A permanent netconsole set-up on a board: a modprobe.d snippet with the
 * target, a modules-load.d snippet that loads the module at boot, and a
 * sysctl.d snippet that raises the console log level.
 */
public final class PersistentNetconsole {

    public static final String MODPROBE_FILE = "/etc/modprobe.d/rig-netconsole.conf";
    public static final String MODULES_LOAD_FILE = "/etc/modules-load.d/rig-netconsole.conf";
    public static final String SYSCTL_FILE = "/etc/sysctl.d/rig-printk.conf";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** What to tell the user about boot-time netconsole. */
    public static final String ADVICE = String.join("\n",
            "netconsole loaded at boot needs its interface up, with its address, when the module loads. If the",
            "kernel log says 'device eth0 not up yet' or 'no IP address for eth0, aborting', the network came up",
            "too late: load the module later (a systemd unit after network-online.target running modprobe",
            "netconsole), or configure the interface in the initramfs. The console log level is raised at boot by",
            SYSCTL_FILE + " (kernel.printk = 8 4 1 7); 'loglevel=8' on the kernel command line raises it earlier.",
            "An IPv6 target names its source address, so it starts before SLAAC has given the address; that",
            "address must then be the board's at every boot (a fixed or EUI-64 one, not a temporary one).");

    private PersistentNetconsole() {
    }

    static String modprobeSnippet(NetconsoleTarget target, String board) {
        String doctor = target.targetIp().contains(":") ? "[" + target.targetIp() + "]" : target.targetIp();
        return "# Written by rig for board " + board + ": netconsole sends the kernel log to " + doctor + ":"
                + target.effectiveTargetPort() + ".\noptions netconsole netconsole=" + target + "\n";
    }

    public static void persist(Patient patient, NetconsoleTarget target) throws LabException {
        patient.runAsRoot("mkdir -p /etc/modprobe.d /etc/modules-load.d /etc/sysctl.d", LIMIT)
                .requireOk(patient.board(), "creating the configuration folders");
        patient.writeFileAsRoot(MODPROBE_FILE, modprobeSnippet(target, patient.board()), LIMIT);
        patient.writeFileAsRoot(MODULES_LOAD_FILE, "# Written by rig: load netconsole at boot.\nnetconsole\n", LIMIT);
        patient.writeFileAsRoot(SYSCTL_FILE, "# Written by rig: every kernel message reaches the consoles.\n"
                + "kernel.printk = 8 4 1 7\n", LIMIT);
    }

    public static void unpersist(Patient patient) throws LabException {
        patient.runAsRoot("rm -f " + MODPROBE_FILE + " " + MODULES_LOAD_FILE + " " + SYSCTL_FILE, LIMIT)
                .requireOk(patient.board(), "removing the netconsole set-up");
    }
}
