package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.testing.RequiredTool;

/** The commands a person types, on the virtual board: power, netconsole. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualBoardCommandsTest {

    static final String[] INVENTORY = {"--inventory", "../inventory"};

    @BeforeAll
    static void qemu() {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
    }

    static RigRunner.Result rig(String... args) {
        String[] all = new String[args.length + INVENTORY.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(INVENTORY, 0, all, args.length, INVENTORY.length);
        return RigRunner.run(all);
    }

    @Test
    @Order(1)
    void powerOnCycleStatusOff() {
        RigRunner.Result on = rig("power", "qemu-x86_64", "on");
        RigRunner.Result cycle = rig("power", "qemu-x86_64", "cycle");
        RigRunner.Result status = rig("power", "qemu-x86_64", "status");

        assertEquals(0, on.exitCode(), on.err());
        assertEquals(0, cycle.exitCode(), cycle.err());
        assertTrue(cycle.out().startsWith("board qemu-x86_64: power cycled, off for 1s"), cycle.out());
        assertTrue(status.out().startsWith("board qemu-x86_64: on "), status.out());
    }

    @Test
    @Order(2)
    void netconsolePrintsTheModprobeLine() {
        RigRunner.Result printed = rig("netconsole", "qemu-x86_64", "--print");

        assertEquals(0, printed.exitCode(), printed.err());
        assertEquals("modprobe netconsole netconsole=+@/eth0,6666@10.0.2.2/", printed.out().lines().findFirst().orElse(""));
    }

    @Test
    @Order(3)
    void netconsoleIsSetUpProvenAndRemoved() {
        RigRunner.Result setUp = rig("netconsole", "qemu-x86_64");
        RigRunner.Result removed = rig("netconsole", "qemu-x86_64", "--remove");
        RigRunner.Result again = rig("netconsole", "qemu-x86_64", "--remove");

        assertEquals(0, setUp.exitCode(), setUp.err());
        assertTrue(setUp.out().contains("the marker arrived after"), setUp.out());
        assertTrue(removed.out().contains("removed rig's configfs target"), removed.out());
        assertTrue(again.out().contains("nothing to remove"), again.out());
    }

    @Test
    @Order(4)
    void theConsoleOfTheRunningBoardIsLogged(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("console.log");
        CompletableFuture<RigRunner.Result> console = CompletableFuture.supplyAsync(
                () -> rig("console", "qemu-x86_64", "--for", "10s", "--log", log.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));

        RigRunner.Result netconsole = rig("netconsole", "qemu-x86_64");
        rig("netconsole", "qemu-x86_64", "--remove");
        String marker = netconsole.out().lines().filter(l -> l.contains("marker")).findFirst().orElse("");

        assertEquals(0, netconsole.exitCode(), netconsole.err());
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(log).contains("rig: rig-marker-"));
        assertEquals(0, console.get(60, TimeUnit.SECONDS).exitCode());
        assertTrue(marker.contains("the marker arrived"), marker);
    }

    @Test
    @Order(5)
    void netconsoleIsMadePermanentAndUndone() {
        RigRunner.Result persisted = rig("netconsole", "qemu-x86_64", "--persist");
        RigRunner.Result unpersisted = rig("netconsole", "qemu-x86_64", "--unpersist");

        assertEquals(0, persisted.exitCode(), persisted.err());
        assertTrue(persisted.out().contains("netconsole will start at boot, sending to 10.0.2.2:6666"), persisted.out());
        assertTrue(persisted.out().contains("device eth0 not up yet"), "the advice about early network");
        assertEquals(0, unpersisted.exitCode(), unpersisted.err());
    }

    @Test
    @Order(6)
    void powerOffReallyStopsTheBoard() {
        RigRunner.Result off = rig("power", "qemu-x86_64", "off");
        RigRunner.Result status = rig("power", "qemu-x86_64", "status");
        RigRunner.Result netconsole = rig("netconsole", "qemu-x86_64", "--print");

        assertEquals(0, off.exitCode(), off.err());
        assertTrue(status.out().startsWith("board qemu-x86_64: off "), status.out());
        assertEquals(ExitCodes.LAB_ERROR, netconsole.exitCode());
        assertTrue(netconsole.err().contains("board qemu-x86_64 is off"), netconsole.err());
    }
}
