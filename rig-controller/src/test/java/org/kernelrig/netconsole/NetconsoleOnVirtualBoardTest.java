package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelrig.LabException;
import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;
import org.kernelrig.inventory.NetconsoleSettings;
import org.kernelrig.patient.FactsScript;
import org.kernelrig.patient.PatientFacts;
import org.kernelrig.patient.SshPatient;
import org.kernelrig.board.LabBoard;
import org.kernelrig.board.LabBoards;
import org.kernelrig.board.SshWait;
import org.kernelrig.testing.RequiredTool;

/**
 * Netconsole set up on a real kernel (the virtual board), proven by a marker
 * that arrives at a real receiver, removed without a trace; and each failure
 * the diagnosis knows, made to happen.
 */
class NetconsoleOnVirtualBoardTest {

    @TempDir
    static Path dir;

    static LabBoard lab;
    static SshPatient patient;
    static NetconsoleReceiver receiver;
    static Board board;

    @BeforeAll
    static void board() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        board = Inventory.load(Path.of("../inventory")).find("qemu-x86_64").orElseThrow();
        lab = LabBoards.open(board, null, message -> { });
        lab.prepare();
        lab.power().on();
        patient = SshWait.connect(lab, null, Duration.ofMinutes(3));
        receiver = new NetconsoleReceiver(ReceiverSettings.defaults(dir).withPort(board.doctor().port())
                .withAllowed(Set.of(InetAddress.getByName("127.0.0.1"))));
        receiver.start();
    }

    @AfterAll
    static void release() {
        if (receiver != null) {
            receiver.close();
        }
        if (patient != null) {
            patient.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    static PatientFacts facts() throws LabException {
        return FactsScript.collect(patient, "10.0.2.2");
    }

    static NetconsolePlan plan(String method, int port) throws LabException {
        NetconsoleSettings settings = new NetconsoleSettings("eth0", null, null, null, true, false, method);
        return NetconsolePlan.of(board.name(), settings, facts(), "10.0.2.2", port, null);
    }

    static MarkerWitness witness() {
        return (text, limit) -> receiver.awaitText("127.0.0.1", text, limit);
    }

    /** What clean-up must give back: log level, module state, targets. */
    record Trace(int level, boolean loaded, java.util.List<String> targets) {
        static Trace of(PatientFacts facts) {
            return new Trace(facts.consoleLogLevel(), facts.netconsole().loaded(), facts.netconsole().targets());
        }
    }

    @Test
    void configfsTargetIsProvenAndRemovedWithoutATrace() throws Exception {
        Trace before = Trace.of(facts());
        NetconsoleSetup setup = new NetconsoleSetup(patient);

        ActiveNetconsole active = setup.configure(plan("configfs", 6666), before.level(), true);
        Duration took = setup.prove(active, witness(), Duration.ofSeconds(10));
        setup.remove(active);

        assertEquals("configfs", active.method());
        assertTrue(took.toMillis() < 10_000);
        assertEquals(before, Trace.of(facts()));
    }

    @Test
    void moduleParameterIsProvenAndRemovedWithoutATrace() throws Exception {
        Trace before = Trace.of(facts());
        NetconsoleSetup setup = new NetconsoleSetup(patient);

        ActiveNetconsole active = setup.configure(plan("module", 6666), before.level(), true);
        setup.prove(active, witness(), Duration.ofSeconds(10));
        setup.remove(active);

        assertEquals("module", active.method());
        assertEquals(before, Trace.of(facts()));
    }

    @Test
    void aLogLevelLeftLowIsDiagnosed() throws Exception {
        int level = facts().consoleLogLevel();
        patient.runAsRoot("dmesg -n 1", Duration.ofSeconds(10));
        NetconsoleSetup setup = new NetconsoleSetup(patient);
        ActiveNetconsole active = setup.configure(plan("configfs", 6666), 1, false);
        try {
            LabException e = assertThrows(LabException.class, () -> setup.prove(active, witness(), Duration.ofSeconds(3)));

            assertTrue(e.getMessage().contains("the console log level is 1"), e.getMessage());
        } finally {
            setup.remove(active);
            patient.runAsRoot("dmesg -n " + level, Duration.ofSeconds(10));
        }
    }

    @Test
    void aMarkerThatGoesNowhereBlamesTheFirewall() throws Exception {
        NetconsoleSetup setup = new NetconsoleSetup(patient);
        // Nothing listens on this port: as if the doctor's firewall dropped it.
        ActiveNetconsole active = setup.configure(plan("configfs", 6699), facts().consoleLogLevel(), true);
        try {
            LabException e = assertThrows(LabException.class, () -> setup.prove(active, witness(), Duration.ofSeconds(3)));

            assertTrue(e.getMessage().contains("nothing arrives at 10.0.2.2:6699"), e.getMessage());
            assertTrue(e.hint().contains("iptables -A INPUT -p udp --dport 6699 -j ACCEPT"), e.hint());
        } finally {
            setup.remove(active);
        }
    }

    @Test
    void aMissingModuleIsSaidBeforeAnythingIsTouched() throws Exception {
        String hide = "m=$(find /lib/modules/$(uname -r) -name 'netconsole.ko*'); mv \"$m\" /tmp/netconsole.hidden;"
                + " echo \"$m\" > /tmp/netconsole.path";
        patient.runAsRoot(hide, Duration.ofSeconds(10)).requireOk(board.name(), "hiding the module");
        try {
            LabException e = assertThrows(LabException.class, () -> plan("auto", 6666));

            assertTrue(e.getMessage().contains("has no netconsole (no module, not built in)"), e.getMessage());
        } finally {
            patient.runAsRoot("mv /tmp/netconsole.hidden \"$(cat /tmp/netconsole.path)\"", Duration.ofSeconds(10))
                    .requireOk(board.name(), "restoring the module");
        }
    }
}
