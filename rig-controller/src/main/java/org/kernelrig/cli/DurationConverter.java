package org.kernelrig.cli;

import java.time.Duration;

import org.kernelrig.config.Durations;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a duration option as the configuration files write them: {@code 500ms}, {@code 30s}, {@code 5m}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value).orElseThrow(() -> new TypeConversionException(
                "'" + value + "' is not a duration such as 500ms, 30s, 5m or 1h30m"));
    }
}
