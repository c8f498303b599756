package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.train.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 90s}, {@code 5m}, {@code 1h30m} or ISO-8601 durations for time-limit options. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value, "value");
        } catch (BadInputException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (use e.g. 90s, 5m, 1h30m)");
        }
    }
}
