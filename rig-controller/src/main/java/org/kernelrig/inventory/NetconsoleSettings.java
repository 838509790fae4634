package org.kernelrig.inventory;

/**
 * The patient's side of netconsole. Null fields are resolved on the board
 * (interface and source address from the route to the doctor, the gateway's
 * MAC from the neighbour table).
 *
 * @param method how to configure it: {@code auto} (configfs when the kernel has it), {@code configfs}, {@code module}
 */
public record NetconsoleSettings(String interfaceName, Integer sourcePort, String sourceIp, String gatewayMac,
        boolean extended, boolean releasePrefix, String method) {

    public static final java.util.List<String> METHODS = java.util.List.of("auto", "configfs", "module");

    public static NetconsoleSettings defaults() {
        return new NetconsoleSettings(null, null, null, null, true, false, "auto");
    }
}
