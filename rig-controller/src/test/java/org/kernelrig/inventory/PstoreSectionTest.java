package org.kernelrig.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.config.InvalidConfigException;

/** The {@code pstore:} section of a board file. */
class PstoreSectionTest {

    @TempDir
    Path dir;

    private Board load(String pstore) throws Exception {
        Path file = dir.resolve("bench-pi4.yaml");
        Files.writeString(file, """
                ssh: {host: 192.168.1.50, user: root}
                netconsole: {interface: eth0}
                power: {driver: manual}
                """ + pstore);
        return BoardFile.load(file, "inventory/bench-pi4.yaml");
    }

    @Test
    void collectsAndDeletesByDefault() throws Exception {
        assertEquals(new PstoreSettings(true, true), load("").pstore());
        assertEquals(new PstoreSettings(true, true), load("pstore: {}\n").pstore());
    }

    @Test
    void eachCanBeTurnedOff() throws Exception {
        assertEquals(new PstoreSettings(true, false), load("pstore: {delete: false}\n").pstore());
        assertEquals(new PstoreSettings(false, false), load("pstore: {collect: false}\n").pstore(),
                "nothing is deleted when nothing is collected");
    }

    @Test
    void deletingWhatIsNotCollectedIsRefused() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> load("pstore:\n  collect: false\n  delete: true\n"));

        assertTrue(e.getMessage().contains("6:11: pstore.delete needs collect: true"), e.getMessage());
    }

    @Test
    void valuesMustBeBooleansAndKeysKnown() {
        InvalidConfigException notBoolean = assertThrows(InvalidConfigException.class,
                () -> load("pstore: {collect: sometimes}\n"));
        InvalidConfigException typo = assertThrows(InvalidConfigException.class,
                () -> load("pstore: {colect: true}\n"));

        assertTrue(notBoolean.getMessage().contains("pstore.collect must be true or false, got 'sometimes'"),
                notBoolean.getMessage());
        assertTrue(typo.getMessage().contains("unknown key 'colect' in 'pstore'"), typo.getMessage());
    }
}
