package org.kernelrig.inventory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A board's power switch: the driver's name, how long the board stays off in
 * a power cycle, and the driver's own settings, already checked against
 * {@link PowerDriverSpec}.
 */
public record PowerSettings(String driver, Duration offTime, Map<String, Object> options) {

    public static final Duration DEFAULT_OFF_TIME = Duration.ofSeconds(5);

    public PowerSettings {
        options = Map.copyOf(options);
    }

    public Optional<String> text(String key) {
        return Optional.ofNullable((String) options.get(key));
    }

    public Optional<Integer> number(String key) {
        return Optional.ofNullable((Integer) options.get(key));
    }

    public Optional<Duration> duration(String key) {
        return Optional.ofNullable((Duration) options.get(key));
    }

    /** What a listing shows: the driver and its main target, e.g. {@code lcus /dev/ttyUSB0 ch1}. */
    public String describe() {
        return PowerDriverSpec.of(driver).map(spec -> spec.describe(this)).orElse(driver);
    }
}
