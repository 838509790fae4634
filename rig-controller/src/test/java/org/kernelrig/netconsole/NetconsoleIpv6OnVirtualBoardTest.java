package org.kernelrig.netconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * Netconsole over IPv6 on a real kernel: the virtual board with its doctor at
 * {@code fec0::2}, which QEMU's user network delivers to this machine's
 * {@code ::1}. The guest gets {@code fec0::5054:ff:fe12:3456} by SLAAC a few
 * seconds after its link comes up, so netconsole set up right after boot
 * depends on rig waiting for that address and naming it in the target.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetconsoleIpv6OnVirtualBoardTest {

    private static final String DOCTOR = "fec0::2";
    private static final String GUEST = "fec0::5054:ff:fe12:3456";
    private static final int PORT = 6700;
    private static final int CLOSED_PORT = 6701;
    private static final Duration COMMAND = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static LabBoard lab;
    static SshPatient patient;
    static NetconsoleReceiver receiver;
    static Board board;
    static long bootedNanos;

    @BeforeAll
    static void board() throws Exception {
        RequiredTool.require("qemu-system-x86_64", "qemu-system-x86");
        // The shipped virtual board with an IPv6 doctor, under a name of its own so that it boots afresh.
        String shipped = Files.readString(Path.of("../inventory/qemu-x86_64.yaml"));
        String ipv6 = shipped.replaceFirst("(?m)^  address: .*$", "  address: " + DOCTOR)
                .replaceFirst("(?m)^  port: .*$", "  port: " + PORT);
        assertTrue(ipv6.contains("address: fec0::2") && ipv6.contains("port: 6700"), ipv6);
        Path inventory = Files.createDirectories(dir.resolve("inventory"));
        Files.writeString(inventory.resolve("qemu-x86_64-ipv6.yaml"), ipv6);
        board = Inventory.load(inventory).find("qemu-x86_64-ipv6").orElseThrow();

        // Every address, IPv4 and IPv6, and everyone allowed: where the datagrams come from is what is tested.
        receiver = new NetconsoleReceiver(ReceiverSettings.defaults(dir.resolve("logs")).withPort(PORT)
                .withAllowed(Set.of()));
        receiver.start();

        lab = LabBoards.open(board, null, message -> { });
        lab.prepare();
        if (lab.power().state().orElse(null) == org.kernelrig.power.PowerSwitch.State.ON) {
            lab.power().off();
        }
        lab.power().on();
        patient = SshWait.connect(lab, null, Duration.ofMinutes(3));
        bootedNanos = System.nanoTime();
    }

    @AfterAll
    static void release() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        if (patient != null) {
            patient.close();
        }
        if (lab != null) {
            lab.power().off();
            lab.close();
        }
    }

    static MarkerWitness witness() {
        return (text, limit) -> receiver.awaitText("::1", text, limit);
    }

    static String eth0() throws LabException {
        return patient.runAsRoot("ip -6 addr show dev eth0", COMMAND).stdout().strip();
    }

    @Test
    @Order(1)
    void rightAfterBootNetconsoleWaitsForTheAddressAndSendsOverIpv6() throws Exception {
        String atLogin = eth0();
        long start = System.nanoTime();
        PatientFacts facts = FactsScript.collect(patient, DOCTOR);
        long waited = System.nanoTime() - start;
        System.out.printf("IPv6 on the virtual board: SSH up, then facts with a usable address after %d ms "
                + "(%d ms after login); eth0 at login:%n%s%n", waited / 1_000_000,
                (System.nanoTime() - bootedNanos) / 1_000_000, atLogin);

        NetconsolePlan plan = NetconsolePlan.of(board.name(), board.netconsole(), facts, DOCTOR, PORT, null);
        assertEquals("+@" + GUEST + "/eth0," + PORT + "@" + DOCTOR + "/", plan.target().toString());

        NetconsoleSetup setup = new NetconsoleSetup(patient);
        ActiveNetconsole active = setup.configure(plan, facts.consoleLogLevel(), true);
        try {
            Duration took = setup.prove(active, witness(), Duration.ofSeconds(10));
            System.out.printf("IPv6 marker arrived after %d ms (%s)%n", took.toMillis(), active.method());

            // A line the kernel writes itself, not one written into its log from user space.
            patient.runAsRoot("echo h > /proc/sysrq-trigger", COMMAND).requireOk(board.name(), "sysrq help");
            assertTrue(receiver.awaitText("::1", "sysrq: HELP", Duration.ofSeconds(10)));
        } finally {
            setup.remove(active);
        }

        List<String> senders = receiver.statistics().patients().stream().map(PatientStatistics::patient).toList();
        assertEquals(List.of("::1"), senders, "QEMU delivers the guest's IPv6 datagrams from ::1");
        assertTrue(Files.readString(receiver.logFile("::1")).contains("sysrq: HELP"));
        PatientFacts after = FactsScript.collect(patient, DOCTOR);
        assertFalse(after.netconsole().targets().contains(NetconsoleSetup.TARGET_NAME));
        assertEquals(facts.netconsole().loaded(), after.netconsole().loaded(), "unloaded when rig loaded it");
        assertEquals(facts.consoleLogLevel(), after.consoleLogLevel());
    }

    @Test
    @Order(2)
    void anAddressThatNeverComesIsALabErrorAfterTheWait() throws Exception {
        // No more router advertisements, and the SLAAC address gone: only the link-local one is left.
        patient.runAsRoot("sysctl -qw net.ipv6.conf.eth0.accept_ra=0 && ip -6 addr del " + GUEST + "/64 dev eth0",
                COMMAND).requireOk(board.name(), "removing the SLAAC address");
        try {
            long start = System.nanoTime();
            PatientFacts facts = FactsScript.collect(patient, DOCTOR, "eth0", Duration.ofSeconds(2));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "waited " + took);
            LabException e = assertThrows(LabException.class,
                    () -> NetconsolePlan.of(board.name(), board.netconsole(), facts, DOCTOR, PORT, null));
            assertEquals("board qemu-x86_64-ipv6: interface eth0 has no usable IPv6 address of any scope but link "
                    + "to send to the doctor fec0::2 from, after waiting for one: it has fe80::5054:ff:fe12:3456 "
                    + "(scope link)", e.getMessage());
            assertTrue(e.hint().contains("no IPv6 address for eth0, aborting"), e.hint());
        } finally {
            patient.runAsRoot("ip -6 addr add " + GUEST + "/64 dev eth0; sysctl -qw net.ipv6.conf.eth0.accept_ra=1",
                    COMMAND).requireOk(board.name(), "giving the address back");
        }
        // Given back, the address is tentative for a second: the facts wait for it again.
        assertTrue(FactsScript.collect(patient, DOCTOR).findInterface("eth0").orElseThrow().usableAddresses()
                .contains(GUEST), eth0());
    }

    @Test
    @Order(3)
    void aClosedIpv6PortIsDiagnosed() throws Exception {
        PatientFacts facts = FactsScript.collect(patient, DOCTOR);
        NetconsoleSetup setup = new NetconsoleSetup(patient);
        // Nothing listens on this port: as if the doctor's firewall dropped it.
        ActiveNetconsole active = setup.configure(
                NetconsolePlan.of(board.name(), board.netconsole(), facts, DOCTOR, CLOSED_PORT, null),
                facts.consoleLogLevel(), true);
        try {
            LabException e = assertThrows(LabException.class, () -> setup.prove(active, witness(), Duration.ofSeconds(3)));

            assertTrue(e.getMessage().contains("the board sends, but nothing arrives at [fec0::2]:" + CLOSED_PORT),
                    e.getMessage());
            assertTrue(e.hint().contains("ip6tables -A INPUT -p udp --dport " + CLOSED_PORT + " -j ACCEPT"), e.hint());
        } finally {
            setup.remove(active);
        }
    }

    @Test
    @Order(4)
    void theModuleParameterTakesTheIpv6TargetToo() throws Exception {
        PatientFacts facts = FactsScript.collect(patient, DOCTOR);
        NetconsoleSettings module = new NetconsoleSettings("eth0", 6665, null, null, true, false, "module");
        NetconsolePlan plan = NetconsolePlan.of(board.name(), module, facts, DOCTOR, PORT, null);
        assertEquals("+6665@" + GUEST + "/eth0," + PORT + "@" + DOCTOR + "/", plan.target().toString());

        NetconsoleSetup setup = new NetconsoleSetup(patient);
        ActiveNetconsole active = setup.configure(plan, facts.consoleLogLevel(), true);
        try {
            assertEquals("module", active.method());
            setup.prove(active, witness(), Duration.ofSeconds(10));
        } finally {
            setup.remove(active);
        }
        assertFalse(FactsScript.collect(patient, DOCTOR).netconsole().loaded());
    }

    @Test
    @Order(5)
    void aRoutedIpv6DoctorIsReachedThroughTheRoutersMacFoundWithBusybox() throws Exception {
        // Only looked up, never sent to: the route and the router QEMU advertises.
        PatientFacts facts = FactsScript.collect(patient, "2001:db8::1");
        assertEquals(new PatientFacts.Route("eth0", GUEST, "fe80::2"), facts.route());

        assertTrue(patient.runAsRoot(FactsScript.neighbourPing("fe80::2", "eth0"), COMMAND).ok(), "busybox ping -6 -I");
        String mac = FactsScript.gatewayMac(patient, "fe80::2", "eth0");
        NetconsolePlan plan = NetconsolePlan.of(board.name(), board.netconsole(), facts, "2001:db8::1", PORT, mac);

        assertEquals("52:56:00:00:00:02", mac);
        assertEquals("+@" + GUEST + "/eth0," + PORT + "@2001:db8::1/52:56:00:00:00:02", plan.target().toString());
    }
}
