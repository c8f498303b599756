package io.jenkins.plugins.mlops.io;

import java.util.Locale;

/** Sizes as a person reads them, in binary units: {@code 42.7 KiB}, {@code 1.5 GiB}. Shared by every step's messages. */
public final class ByteUnits {
    private ByteUnits() {}

    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
