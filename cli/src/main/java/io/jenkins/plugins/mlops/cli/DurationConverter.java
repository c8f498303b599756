package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one reading of a time option in every command ({@code --timeout} of gate, register,
 * smoke-train and train, and their {@code MLOPS_TIMEOUT}): {@code 90s}, {@code 10m},
 * {@code 1h30m}, {@code 500ms}, ISO-8601 {@code PT5M}, and a bare number as seconds. Zero is
 * read, and refused by each command that needs a positive time with a message naming the option.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.read(value, "duration");
        } catch (BadInputException e) {
            throw new TypeConversionException(e.getMessage().replaceFirst("^duration: ", ""));
        }
    }
}
