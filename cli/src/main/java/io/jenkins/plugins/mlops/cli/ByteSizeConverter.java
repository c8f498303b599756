package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.train.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads memory sizes such as {@code 512m}, {@code 2g} or {@code 2Gi} into bytes. */
final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return ByteSize.parse(value, "value");
        } catch (BadInputException e) {
            throw new TypeConversionException("'" + value + "' is not a size (use e.g. 512m, 2g, 16Gi)");
        }
    }
}
