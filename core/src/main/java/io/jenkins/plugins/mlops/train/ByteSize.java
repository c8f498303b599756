package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.ByteUnits;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as people type them: {@code 2g} and {@code 512m} (binary units, as {@code docker -m}
 * reads them) or the Kubernetes spellings {@code 2Gi} and {@code 512Mi}; a bare number is bytes.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?)?b?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {}

    public static long parse(String text, String option) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new BadInputException(option + ": '" + text + "' is not a size (use e.g. 512m, 2g, 16Gi)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toLowerCase(Locale.ROOT);
        int power = switch (unit) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        double bytes = value * Math.pow(1024, power);
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new BadInputException(option + ": '" + text + "' is out of range");
        }
        return (long) bytes;
    }

    /** A size as a person reads it: {@code 1.5 GiB}. */
    public static String format(long bytes) {
        return ByteUnits.format(bytes);
    }
}
