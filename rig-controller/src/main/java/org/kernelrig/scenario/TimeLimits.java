package org.kernelrig.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named time limits of a run's phases.
 *
 * @param boot                 from power-on until SSH answers
 * @param netconsoleHandshake  from writing the marker until it arrives at the doctor
 * @param capture              from the trigger until the capture stops at the latest
 * @param quietAfterTrace      how long the console must stay quiet after a complete trace
 * @param powerOff             how long the power switch may take to switch the board off
 */
public record TimeLimits(Duration boot, Duration netconsoleHandshake, Duration capture, Duration quietAfterTrace,
        Duration powerOff) {

    public static TimeLimits defaults() {
        return new TimeLimits(Duration.ofSeconds(180), Duration.ofSeconds(10), Duration.ofSeconds(120),
                Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    /** The limits by their names in scenario files, in the order a run meets them. */
    public Map<String, Duration> byName() {
        Map<String, Duration> map = new LinkedHashMap<>();
        map.put("boot", boot);
        map.put("netconsole-handshake", netconsoleHandshake);
        map.put("capture", capture);
        map.put("quiet-after-trace", quietAfterTrace);
        map.put("power-off", powerOff);
        return map;
    }
}
