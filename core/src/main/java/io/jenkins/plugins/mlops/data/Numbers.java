package io.jenkins.plugins.mlops.data;

import java.util.Locale;

/** Numbers in check messages: short, exact for integers, no exponent for everyday magnitudes. */
final class Numbers {
    private Numbers() {}

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        double magnitude = Math.abs(value);
        if (Double.isNaN(value) || Double.isInfinite(value) || magnitude < 1e-4 || magnitude >= 1e9) {
            return String.format(Locale.ROOT, "%.4g", value);
        }
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
