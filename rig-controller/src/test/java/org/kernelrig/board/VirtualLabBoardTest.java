package org.kernelrig.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.BoardFile;
import org.kernelrig.run.SuiteRunner;

/**
 * Where the doctor sees a virtual board's netconsole come from: QEMU's user
 * network hands the guest's datagrams to 10.0.2.2 over from 127.0.0.1, and
 * those to fec0::2 from ::1 (VirtualBoardPstoreTest receives them so).
 */
class VirtualLabBoardTest {

    static Board shipped(String name) throws Exception {
        return BoardFile.load(Path.of("..", "inventory", name + ".yaml"), "inventory/" + name + ".yaml");
    }

    @Test
    void patientAddressFollowsTheDoctorsFamily() throws Exception {
        assertEquals("127.0.0.1", VirtualLabBoard.patientAddress(shipped("qemu-x86_64")));
        assertEquals("::1", VirtualLabBoard.patientAddress(shipped("qemu-x86_64-efi")));
    }

    @Test
    void suiteAllowsEachVirtualBoardFromItsLoopback() throws Exception {
        assertEquals(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
                SuiteRunner.patients(List.of(shipped("qemu-x86_64"), shipped("qemu-x86_64-efi"))));
    }
}
