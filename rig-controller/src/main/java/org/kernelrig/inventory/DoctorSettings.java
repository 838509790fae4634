package org.kernelrig.inventory;

/**
 * The logging machine as the patient sees it.
 *
 * @param address the address the patient sends to; null to use the address this machine
 *                has on the route to the board
 * @param port    the UDP port the doctor listens on
 * @param listen  the local address the receiver binds to
 */
public record DoctorSettings(String address, int port, String listen) {

    public static final int DEFAULT_PORT = 6666;

    public static DoctorSettings defaults() {
        return new DoctorSettings(null, DEFAULT_PORT, "0.0.0.0");
    }
}
