package org.kernelrig.netconsole;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.kernelrig.LabException;
import org.kernelrig.config.NetworkAddresses;
import org.kernelrig.inventory.Board;
import org.kernelrig.patient.CommandResult;
import org.kernelrig.patient.FactsScript;
import org.kernelrig.patient.FactsParser;
import org.kernelrig.patient.Patient;
import org.kernelrig.patient.PatientFacts;
import static org.kernelrig.patient.ShellQuote.quote;

/**
 * Sets netconsole up on a patient as a {@link NetconsolePlan} says, proves
 * it with a marker the doctor must receive, and undoes it. A configfs target
 * is preferred (extended mode, changes without unloading, and it leaves
 * the board's own targets alone); a module parameter otherwise.
 */
public final class NetconsoleSetup {

    /** The name of rig's configfs target on every board. */
    public static final String TARGET_NAME = "rig";
    /** The marker's log level: a warning, which a console shows at log level 5 and above. */
    public static final int MARKER_LEVEL = 4;
    private static final String DIR = "/sys/kernel/config/netconsole/" + TARGET_NAME;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String UNLOAD = "{ rmmod netconsole 2>/dev/null; [ ! -d /sys/module/netconsole ]; }";

    private final Patient patient;

    public NetconsoleSetup(Patient patient) {
        this.patient = patient;
    }

    /**
     * The plan for {@code board} sending to {@code doctor}; the router's MAC
     * is asked on the board only when the route needs one and the board's
     * file does not give it.
     */
    public NetconsolePlan plan(Board board, PatientFacts facts, String doctor) throws LabException {
        String gatewayMac = null;
        if (facts.route() != null && facts.route().gateway() != null && board.netconsole().gatewayMac() == null) {
            gatewayMac = FactsScript.gatewayMac(patient, facts.route().gateway(), facts.route().device());
        }
        return NetconsolePlan.of(board.name(), board.netconsole(), facts, doctor, board.doctor().port(), gatewayMac);
    }

    /**
     * Raises the console log level (when asked) and starts the target.
     *
     * @param currentLogLevel the console log level now, remembered to restore it
     */
    public ActiveNetconsole configure(NetconsolePlan plan, int currentLogLevel, boolean raiseLogLevel)
            throws LabException {
        int oldLevel = -1;
        if (raiseLogLevel) {
            patient.runAsRoot("dmesg -n 8", LIMIT).requireOk(patient.board(), "raising the console log level");
            oldLevel = currentLogLevel;
        }
        if (!plan.method().equals("module")) {
            CommandResult result = patient.runAsRoot(configfsScript(plan.target()), LIMIT);
            boolean loaded = result.stdout().contains("loaded=1");
            switch (result.exitStatus()) {
                case 0:
                    return new ActiveNetconsole(plan, "configfs", loaded, oldLevel);
                case 11:
                    if (plan.method().equals("configfs")) {
                        throw new LabException("board " + patient.board() + ": its kernel has no dynamic netconsole "
                                + "(configfs)", "set netconsole.method to module, or build the kernel with "
                                        + "CONFIG_NETCONSOLE_DYNAMIC=y");
                    }
                    if (loaded) {
                        patient.runAsRoot(UNLOAD, LIMIT);
                    }
                    break;
                default:
                    throw startFailure(plan, result, "configfs");
            }
        }
        CommandResult result = patient.runAsRoot("modprobe netconsole netconsole=" + quote(plan.target().toString()), LIMIT);
        if (!result.ok()) {
            throw startFailure(plan, result, "module");
        }
        return new ActiveNetconsole(plan, "module", true, oldLevel);
    }

    /**
     * Writes a unique marker into the kernel log and waits until the doctor has it.
     *
     * @return how long the marker took to arrive
     */
    public Duration prove(ActiveNetconsole active, MarkerWitness witness, Duration limit)
            throws LabException, InterruptedException {
        String marker = "rig-marker-" + UUID.randomUUID();
        long start = System.nanoTime();
        patient.runAsRoot("echo " + quote("<" + MARKER_LEVEL + ">rig: " + marker) + " > /dev/kmsg", LIMIT)
                .requireOk(patient.board(), "writing the marker to /dev/kmsg");
        if (witness.awaitText(marker, limit)) {
            return Duration.ofNanos(System.nanoTime() - start);
        }
        throw diagnose(active, limit).explain();
    }

    /** Gathers what the diagnosis needs from the board. */
    NetconsoleDiagnosis diagnose(ActiveNetconsole active, Duration waited) throws LabException {
        NetconsolePlan plan = active.plan();
        String device = plan.target().device();
        String script = String.join("\n",
                "echo \"level $(cut -f1 /proc/sys/kernel/printk)\"",
                "echo \"state $(cat /sys/class/net/" + quote(device) + "/operstate 2>/dev/null || echo missing)\"",
                "[ -d /sys/class/net/" + quote(device) + "/wireless ] && echo wireless",
                "[ -d /sys/module/netconsole ] && echo running",
                "[ -f " + DIR + "/enabled ] && echo \"enabled $(cat " + DIR + "/enabled)\"",
                plan.gateway() == null ? "true" : "ip " + (NetworkAddresses.isIpv6(plan.gateway()) ? "-6 " : "")
                        + "neigh show " + quote(plan.gateway()) + " dev " + quote(device),
                "dmesg | grep -E 'netconsole|netpoll' | tail -n 5 | sed 's/^/kernel /'",
                "true");
        String out = patient.runAsRoot(script, LIMIT).stdout();
        int level = -1;
        String state = null;
        Boolean enabled = null;
        List<String> messages = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("level ")) {
                level = parseInt(line.substring(6).trim());
            } else if (line.startsWith("state ")) {
                state = line.substring(6).trim();
            } else if (line.startsWith("enabled ") && active.method().equals("configfs")) {
                enabled = line.substring(8).trim().equals("1");
            } else if (line.startsWith("kernel ")) {
                messages.add(clean(line.substring(7)));
            }
        }
        return new NetconsoleDiagnosis(patient.board(), plan, waited, level, MARKER_LEVEL, state,
                out.lines().anyMatch("wireless"::equals), out.lines().anyMatch("running"::equals), enabled, messages,
                FactsParser.neighbourMac(out));
    }

    /** Removes rig's target, unloads the module when rig loaded it, and restores the console log level. */
    public void remove(ActiveNetconsole active) throws LabException {
        // Only netconsole: busybox's modprobe -r also tries its dependencies (configfs, in use) and then fails.
        String unload = active.loadedByRig() ? UNLOAD : "true";
        String script = active.method().equals("configfs")
                ? "if [ -d " + DIR + " ]; then echo 0 > " + DIR + "/enabled; rmdir " + DIR + "; fi; "
                        + "[ -z \"$(ls /sys/kernel/config/netconsole 2>/dev/null)\" ] && " + unload + "; true"
                : unload;
        patient.runAsRoot(script, LIMIT).requireOk(patient.board(), "removing netconsole");
        if (active.oldLogLevel() > 0) {
            patient.runAsRoot("dmesg -n " + active.oldLogLevel(), LIMIT)
                    .requireOk(patient.board(), "restoring the console log level");
        }
    }

    /**
     * Removes what rig set up earlier, without knowing how (a separate command): its configfs target,
     * or the module when rig's configfs target is absent and the module holds no dynamic target.
     *
     * @return what was removed, for the user
     */
    public String removeAny() throws LabException {
        CommandResult result = patient.runAsRoot(String.join("\n",
                "if [ -d " + DIR + " ]; then echo 0 > " + DIR + "/enabled; rmdir " + DIR + " && echo configfs; fi",
                "if [ -d /sys/module/netconsole ] && [ -z \"$(ls /sys/kernel/config/netconsole 2>/dev/null)\" ]; then",
                "  " + UNLOAD + " && echo module",
                "fi", "true"), LIMIT);
        List<String> done = result.stdout().lines().toList();
        if (done.isEmpty()) {
            return "nothing to remove: board " + patient.board() + " has no netconsole set up by rig";
        }
        return "removed " + String.join(" and ", done.stream().map(d -> d.equals("configfs")
                ? "rig's configfs target" : "the netconsole module").toList());
    }

    static String configfsScript(NetconsoleTarget t) {
        List<String> lines = new ArrayList<>(List.of(
                "loaded=0",
                "if [ ! -d /sys/module/netconsole ]; then modprobe netconsole || exit 10; loaded=1; fi",
                "echo \"loaded=$loaded\"",
                "grep -qs ' /sys/kernel/config ' /proc/mounts || mount -t configfs configfs /sys/kernel/config 2>/dev/null",
                "[ -d /sys/kernel/config/netconsole ] || exit 11",
                "d=" + DIR,
                // A target of that name is rig's own, left by a run that could not clean up.
                "if [ -d \"$d\" ]; then echo 0 > \"$d/enabled\" 2>/dev/null; rmdir \"$d\"; fi",
                "mkdir \"$d\" || exit 12",
                "echo " + quote(t.device()) + " > \"$d/dev_name\" || exit 12",
                "echo " + t.effectiveTargetPort() + " > \"$d/remote_port\" || exit 12",
                "echo " + quote(t.targetIp()) + " > \"$d/remote_ip\" || exit 12"));
        if (t.targetMac() != null) {
            lines.add("echo " + quote(t.targetMac()) + " > \"$d/remote_mac\" || exit 12");
        }
        if (t.sourcePort() != null) {
            lines.add("echo " + t.sourcePort() + " > \"$d/local_port\" || exit 12");
        }
        if (t.sourceIp() != null) {
            lines.add("echo " + quote(t.sourceIp()) + " > \"$d/local_ip\" || exit 12");
        }
        if (t.extended()) {
            lines.add("echo 1 > \"$d/extended\" || exit 12");
        }
        if (t.release()) {
            lines.add("[ -e \"$d/release\" ] && echo 1 > \"$d/release\"");
        }
        lines.add("echo 1 > \"$d/enabled\" || { rmdir \"$d\"; exit 13; }");
        return String.join("\n", lines);
    }

    private LabException startFailure(NetconsolePlan plan, CommandResult result, String method) throws LabException {
        List<String> messages = patient.runAsRoot("dmesg | grep -E 'netconsole|netpoll' | tail -n 5", LIMIT)
                .stdout().lines().map(NetconsoleSetup::clean).toList();
        String said = result.stderr().strip();
        String kernel = messages.isEmpty() ? "" : "; the kernel said: " + String.join(" / ", messages);
        NetconsoleDiagnosis diagnosis = new NetconsoleDiagnosis(patient.board(), plan, Duration.ZERO, -1, MARKER_LEVEL,
                null, false, false, null, messages, null);
        return new LabException("board " + patient.board() + ": netconsole failed to start (" + method + ")"
                + (said.isEmpty() ? "" : ": " + said.lines().findFirst().orElse("")) + kernel,
                diagnosis.explain().hint());
    }

    /** A kernel log line without its timestamp, bounded: it comes from the board. */
    private static String clean(String line) {
        String text = line.replaceFirst("^\\[\\s*\\d+\\.\\d+\\]\\s*", "").strip();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
