package io.jenkins.plugins.mlops.io;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Time limits as people type them: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 500ms}, or ISO-8601 {@code PT5M}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    private Durations() {}

    /** A duration longer than zero; anything else is bad input naming {@code option}. */
    public static Duration parse(String text, String option) {
        Duration duration = read(text, option);
        if (duration.isZero()) {
            throw new BadInputException(option + ": '" + text + "' must be longer than zero");
        }
        return duration;
    }

    /** A duration, zero allowed (the caller decides what zero means); negative ones cannot be written. */
    public static Duration read(String text, String option) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text, option);
            }
        } else if (value.matches("\\d+")) {
            duration = Duration.ofSeconds(Long.parseLong(value));
        } else if (WHOLE.matcher(value).matches()) {
            duration = Duration.ZERO;
            Matcher m = PART.matcher(value);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                duration = duration.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } else {
            throw invalid(text, option);
        }
        if (duration.isNegative()) {
            throw new BadInputException(option + ": '" + text + "' must not be negative");
        }
        return duration;
    }

    /** A duration as a person reads it: {@code 5m}, {@code 1h30m}, {@code 2.5s}. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            double s = duration.toMillis() / 1000.0;
            return s == Math.rint(s) ? (long) s + "s" : String.format(Locale.ROOT, "%.1fs", s);
        }
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            out.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0) {
            out.append(seconds % 60).append('s');
        }
        return out.toString();
    }

    private static BadInputException invalid(String text, String option) {
        return new BadInputException(option + ": '" + text + "' is not a duration (use e.g. 90s, 5m, 1h30m)");
    }
}
