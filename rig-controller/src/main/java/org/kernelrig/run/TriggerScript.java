package org.kernelrig.run;

import static org.kernelrig.patient.ShellQuote.quote;

import org.kernelrig.config.Sizes;
import org.kernelrig.scenario.Trigger;

/**
 * The shell commands behind each trigger, run as root on the patient. Pure:
 * every value from the scenario is quoted. The command ends by writing a
 * marker to the kernel log, so that a run knows when a trigger that did not
 * crash the kernel has finished.
 */
final class TriggerScript {

    static final String LKDTM_DIRECT = "/sys/kernel/debug/provoke-crash/DIRECT";

    private TriggerScript() {
    }

    /** A check run before the trigger, which must exit 0; it prints what is wrong otherwise. */
    static String preflight(Trigger trigger) {
        if (trigger instanceof Trigger.Sysrq) {
            return "[ -w /proc/sysrq-trigger ] || { echo 'no /proc/sysrq-trigger: the kernel lacks CONFIG_MAGIC_SYSRQ'; exit 1; }";
        }
        if (trigger instanceof Trigger.Lkdtm) {
            return String.join("\n",
                    "grep -qs ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null",
                    "[ -e " + LKDTM_DIRECT + " ] || modprobe lkdtm 2>/dev/null",
                    "[ -w " + LKDTM_DIRECT + " ] || { echo 'no " + LKDTM_DIRECT
                            + ": the kernel lacks LKDTM (CONFIG_LKDTM)'; exit 1; }");
        }
        if (trigger instanceof Trigger.UsbStorageWrite write) {
            return UsbDiskCheck.script(write.device());
        }
        return "true";
    }

    /**
     * The command that provokes the kernel, between two markers in the kernel
     * log: the start marker tells this run's lines in a crash record read
     * after the reboot from older ones; the finished marker tells that a
     * trigger that did not crash the kernel is over.
     */
    static String command(Trigger trigger, String startMarker, String finishedMarker) {
        String action;
        if (trigger instanceof Trigger.Sysrq sysrq) {
            action = "echo " + sysrq.key() + " > /proc/sysrq-trigger";
        } else if (trigger instanceof Trigger.Lkdtm lkdtm) {
            action = "echo " + quote(lkdtm.type()) + " > " + LKDTM_DIRECT;
        } else if (trigger instanceof Trigger.UsbStorageWrite write) {
            action = usbWrite(write);
        } else {
            action = "sh -c " + quote(((Trigger.Command) trigger).command());
        }
        return "echo " + quote("<5>rig: " + startMarker) + " > /dev/kmsg; " + action + "; echo \"<5>rig: " + finishedMarker
                + " exit status $?\" > /dev/kmsg";
    }

    private static String usbWrite(Trigger.UsbStorageWrite write) {
        long megabytes = Math.max(1, (write.amount() + (1 << 20) - 1) >> 20);
        String target = "of=" + quote(write.device()) + " bs=1M count=" + megabytes + " oflag=direct conv=fsync";
        return switch (write.pattern()) {
            case "zeros" -> "dd if=/dev/zero " + target;
            case "sequence" -> "awk 'BEGIN { for (i = 0; ; i++) printf \"%015d\\n\", i }' | dd iflag=fullblock " + target;
            default -> "dd if=/dev/urandom " + target;
        } + " 2>/dev/null";
    }

    /** What the report says was done. */
    static String describe(Trigger trigger) {
        if (trigger instanceof Trigger.UsbStorageWrite write) {
            return "wrote " + Sizes.format(write.amount()) + " of " + write.pattern() + " data to " + write.device();
        }
        return trigger.describe();
    }
}
