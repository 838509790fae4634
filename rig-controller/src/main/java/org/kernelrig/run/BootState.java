package org.kernelrig.run;

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
 */
record BootState(String bootId, int panicTimeout, String pstoreBackend) {

    static final BootState UNKNOWN = new BootState(null, 0, null);

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** True when the records live in RAM, which a warm reset keeps and a power cut loses. */
    boolean recordsInRam() {
        return "ramoops".equals(pstoreBackend);
    }

    static BootState read(Patient patient) throws LabException {
        String out = patient.run("cat /proc/sys/kernel/random/boot_id; echo; cat /proc/sys/kernel/panic; echo;"
                + " cat /sys/module/pstore/parameters/backend 2>/dev/null", LIMIT).stdout();
        return parse(out);
    }

    static BootState parse(String out) {
        String[] lines = out.split("\n", -1);
        String bootId = lines.length > 0 && lines[0].strip().matches("[0-9a-f-]{36}") ? lines[0].strip() : null;
        int panic = 0;
        String backend = null;
        int i = 1;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i < lines.length && lines[i].strip().matches("-?\\d{1,9}")) {
            panic = Integer.parseInt(lines[i].strip());
            i++;
        }
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i < lines.length && lines[i].strip().matches("[A-Za-z0-9_.-]{1,64}") && !lines[i].strip().equals("(null)")) {
            backend = lines[i].strip();
        }
        return new BootState(bootId, panic, backend);
    }
}
