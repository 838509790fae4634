package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;

class BzImageHeaderTest {

    @Test
    void readsTheReleaseFromTheBootHeader(@TempDir Path temp) throws Exception {
        ByteBuffer image = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        image.position(0x202);
        image.put("HdrS".getBytes(StandardCharsets.US_ASCII));
        image.putShort(0x20e, (short) 0x300);
        image.position(0x500);
        image.put("6.12.0-rc1-test+ (me@host) #3 SMP\0".getBytes(StandardCharsets.US_ASCII));
        Path file = temp.resolve("bzImage");
        Files.write(file, image.array());
        assertEquals("6.12.0-rc1-test+", BzImageHeader.release(file));
    }

    @Test
    void aFileWithoutBootHeaderIsRefused(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("vmlinux");
        Files.write(file, new byte[0x1000]);
        LabException e = assertThrows(LabException.class, () -> BzImageHeader.release(file));
        assertTrue(e.getMessage().contains("not an x86 kernel image"), e.getMessage());
    }

    @Test
    void readsWhereTheKernelEndsAtItsPreferredAddress(@TempDir Path temp) throws Exception {
        ByteBuffer image = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        image.position(0x202);
        image.put("HdrS".getBytes(StandardCharsets.US_ASCII));
        image.putShort(0x206, (short) 0x20f);
        image.putLong(0x258, 0x1000000L);
        image.putInt(0x260, 0x3f98000);
        Path file = temp.resolve("bzImage");
        Files.write(file, image.array());
        assertEquals(OptionalLong.of(0x4f98000L), BzImageHeader.loadEnd(file));

        image.putShort(0x206, (short) 0x209);
        Files.write(file, image.array());
        assertEquals(OptionalLong.empty(), BzImageHeader.loadEnd(file), "boot protocol 2.09 has no init_size");
    }
}
