package org.kernelrig.scenario;

import java.util.regex.Pattern;

/** What a scenario does to the patient to provoke the kernel. */
public sealed interface Trigger {

    /** A one-line description for reports and progress output. */
    String describe();

    /** {@code echo KEY > /proc/sysrq-trigger}; {@code c} crashes the kernel. */
    record Sysrq(char key) implements Trigger {
        public String describe() {
            return "sysrq " + key;
        }
    }

    /** A crash type of the kernel's LKDTM, written to {@code /sys/kernel/debug/provoke-crash/DIRECT}. */
    record Lkdtm(String type) implements Trigger {
        public String describe() {
            return "lkdtm " + type;
        }
    }

    /**
     * Writes {@code amount} bytes to a USB mass storage device after proving it
     * is a USB disk with nothing mounted (Debian bug #917206 was found this way).
     *
     * @param expectedSize the device's size as the scenario states it, or 0 when not stated
     */
    record UsbStorageWrite(String device, long expectedSize, long amount, String pattern) implements Trigger {
        public static final java.util.List<String> PATTERNS = java.util.List.of("zeros", "random", "sequence");

        public String describe() {
            return "write " + org.kernelrig.config.Sizes.format(amount) + " of " + pattern + " to " + device;
        }
    }

    /** A shell command run on the patient, detached: the connection may die with the kernel. */
    record Command(String command) implements Trigger {
        public String describe() {
            return "command: " + command;
        }
    }

    /** Valid sysrq keys: the kernel takes one letter or digit. */
    Pattern SYSRQ_KEY = Pattern.compile("[0-9a-z]");
}
