package org.kernelrig.inventory;

import org.kernelrig.config.NetworkAddresses;
import org.kernelrig.config.Problems;
import org.kernelrig.config.YamlMapping;

/**
 * The addresses of a board file that must be of one family: netconsole sends
 * from {@code netconsole.source-ip} to {@code doctor.address} (the kernel
 * refuses a target that mixes IPv4 and IPv6), and the doctor's receiver
 * bound to {@code doctor.listen} only ever sees datagrams of its own family.
 */
final class AddressFamilies {

    private AddressFamilies() {
    }

    /** Adds a problem for each pair of a board's addresses whose families differ. */
    static void check(YamlMapping root, NetconsoleSettings netconsole, DoctorSettings doctor, Problems problems) {
        String doctorAddress = doctor.address();
        if (doctorAddress == null) {
            return;
        }
        String sourceIp = netconsole.sourceIp();
        if (sourceIp != null && !NetworkAddresses.sameFamily(sourceIp, doctorAddress)) {
            root.mapping(new Problems(), "netconsole").ifPresent(m -> problems.add(m.locationOf("source-ip"),
                    "netconsole.source-ip " + sourceIp + " is " + NetworkAddresses.family(sourceIp)
                            + " but doctor.address " + doctorAddress + " is " + NetworkAddresses.family(doctorAddress)
                            + "; netconsole sends from and to addresses of one family",
                    "give both as IPv4 or both as IPv6, or leave netconsole.source-ip out: rig then takes the "
                            + "board's own address"));
        }
        String listen = doctor.listen();
        if (listen != null && !NetworkAddresses.isUnspecified(listen)
                && !NetworkAddresses.sameFamily(listen, doctorAddress)) {
            root.mapping(new Problems(), "doctor").ifPresent(m -> problems.add(m.locationOf("listen"),
                    "doctor.listen " + listen + " is " + NetworkAddresses.family(listen) + " but doctor.address "
                            + doctorAddress + " is " + NetworkAddresses.family(doctorAddress)
                            + "; the receiver would never see the board's datagrams",
                    "listen on an " + NetworkAddresses.family(doctorAddress) + " address of this machine, or leave "
                            + "doctor.listen out to listen on every address, IPv4 and IPv6"));
        }
    }
}
