package org.kernelrig.board;

import java.time.Duration;

import org.kernelrig.LabException;
import org.kernelrig.patient.Patient;

/**
 * What a run must know of the boot it is about to crash, to bring the board
 * back without losing its crash records: which boot it is, what the kernel
 * does after a panic, and where pstore keeps its records.
 *
 * @param bootId        {@code /proc/sys/kernel/random/boot_id}, which changes at every boot; null if unknown
 * @param panicTimeout  {@code /proc/sys/kernel/panic}: seconds before the kernel reboots after a panic, 0 never
 * @param pstoreBackend {@code /sys/module/pstore/parameters/backend} ({@code ramoops}, {@code efi_pstore}, ...); null if none
 * @param watchdog      a hardware watchdog is running ({@code /sys/class/watchdog/*}/state {@code active}): it resets
 *                      a hung board
 */
public record BootState(String bootId, int panicTimeout, String pstoreBackend, boolean watchdog) {

    public static final BootState UNKNOWN = new BootState(null, 0, null, false);

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** True when the records live in RAM, which a warm reset keeps and a power cut loses. */
    public boolean recordsInRam() {
        return "ramoops".equals(pstoreBackend);
    }

    static BootState read(Patient patient) throws LabException {
        return parse(patient.run(String.join("\n",
                "echo \"boot $(cat /proc/sys/kernel/random/boot_id)\"",
                "echo \"panic $(cat /proc/sys/kernel/panic)\"",
                "echo \"backend $(cat /sys/module/pstore/parameters/backend 2>/dev/null)\"",
                "for w in /sys/class/watchdog/*/state; do [ -r \"$w\" ] && echo \"watchdog $(cat \"$w\")\"; done",
                "true"), LIMIT).stdout());
    }

    /** Reads the labelled lines {@link #read} prints; what is missing or malformed stays unknown. */
    static BootState parse(String out) {
        String bootId = null;
        int panic = 0;
        String backend = null;
        boolean watchdog = false;
        for (String line : out.split("\n")) {
            String[] field = line.strip().split("\\s+", 2);
            String value = field.length > 1 ? field[1] : "";
            switch (field[0]) {
                case "boot" -> bootId = value.matches("[0-9a-f-]{36}") ? value : null;
                case "panic" -> panic = value.matches("-?\\d{1,9}") ? Integer.parseInt(value) : 0;
                case "backend" -> backend = value.matches("[A-Za-z0-9_.-]{1,64}") && !value.equals("(null)") ? value
                        : null;
                case "watchdog" -> watchdog |= value.equals("active");
                default -> {
                }
            }
        }
        return new BootState(bootId, panic, backend, watchdog);
    }
}
