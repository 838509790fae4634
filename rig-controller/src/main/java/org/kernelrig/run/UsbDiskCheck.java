package org.kernelrig.run;

import static org.kernelrig.patient.ShellQuote.quote;

import java.util.HashMap;
import java.util.Map;

/**
 * Proves, before a USB mass storage write, that the device is a USB disk
 * that nothing uses: its sysfs path runs through a USB bus, no partition of
 * it is mounted, none holds the root filesystem or swap, and its size is
 * what the scenario says when it says one. A typo in a scenario must never
 * erase a board's system disk.
 */
final class UsbDiskCheck {

    private UsbDiskCheck() {
    }

    /** Prints {@code key=value} facts about the device; see {@link #judge}. */
    static String script(String device) {
        return String.join("\n",
                "dev=$(readlink -f " + quote(device) + " 2>/dev/null)",
                "echo \"resolved=$dev\"",
                "[ -b \"$dev\" ] && echo block=yes",
                "name=${dev##*/}",
                "sys=$(readlink -f \"/sys/class/block/$name\" 2>/dev/null)",
                "echo \"sysfs=$sys\"",
                "[ -f \"$sys/partition\" ] && echo partition=yes",
                "echo \"sectors=$(cat \"$sys/size\" 2>/dev/null)\"",
                // By device number, so that a root filesystem shown as /dev/root is found too.
                "for n in $(cat \"$sys/dev\" \"$sys\"/*/dev 2>/dev/null); do"
                        + " awk -v n=\"$n\" '$3 == n { print \"mounted=\" $3 \" \" $5 }' /proc/self/mountinfo; done",
                "grep -E \"^$dev[0-9p]* \" /proc/swaps | sed 's/^/swap=/'",
                "true");
    }

    /** Null when the device may be written, else what forbids it. */
    static String judge(String device, String output, long expectedSize) {
        Map<String, String> facts = new HashMap<>();
        StringBuilder mounted = new StringBuilder();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String key = line.substring(0, eq);
                String value = line.substring(eq + 1).trim();
                if (key.equals("mounted") || key.equals("swap")) {
                    mounted.append(mounted.length() == 0 ? "" : "; ").append(key.equals("swap") ? "swap " : "")
                            .append(value.split("\\s+").length > 1 ? value.split("\\s+")[0] + " on "
                                    + value.split("\\s+")[1] : value);
                } else {
                    facts.put(key, value);
                }
            }
        }
        if (!"yes".equals(facts.get("block"))) {
            return device + " is not a block device on the board";
        }
        if ("yes".equals(facts.get("partition"))) {
            return device + " is a partition; name the whole disk (/dev/disk/by-id/usb-... without -partN)";
        }
        String sysfs = facts.getOrDefault("sysfs", "");
        if (!sysfs.contains("/usb")) {
            return device + " (" + facts.get("resolved") + ") is not a USB disk: its sysfs path " + sysfs
                    + " does not run through a USB bus";
        }
        if (mounted.length() > 0) {
            return device + " is in use: " + mounted;
        }
        if (expectedSize > 0) {
            long bytes;
            try {
                bytes = Long.parseLong(facts.getOrDefault("sectors", "")) * 512;
            } catch (NumberFormatException e) {
                return "the size of " + device + " cannot be read";
            }
            if (bytes != expectedSize) {
                return device + " has " + bytes + " bytes, but the scenario says " + expectedSize;
            }
        }
        return null;
    }
}
