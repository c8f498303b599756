package io.jenkins.plugins.mlops.params;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a parameter holds, and the one reading of it from what the front ends hand over: text from
 * the command line and from Jenkins text fields, numbers and lists from {@code mlops.yaml} and from
 * Jenkins' number fields. A value that does not read is bad input naming the parameter's option,
 * with the same words in every front end.
 */
public enum ParameterType {
    /** Text, kept as typed (trimmed). */
    TEXT("TEXT"),
    /** A whole number ({@code Long}). */
    WHOLE("N"),
    /** A number ({@code Double}). */
    NUMBER("X"),
    /** true or false. */
    BOOLEAN("BOOL"),
    /** A time as people type it: {@code 90s}, {@code 5m}, {@code 1h30m}, ISO-8601; zero allowed, the step decides. */
    DURATION("D"),
    /** A file or directory, relative to where the step runs unless absolute; kept as text, as a config sent to an agent needs. */
    PATH("FILE"),
    /** An http or https URL with a host. */
    URL("URL"),
    /** Percentages in increasing order, {@code 5,25,50,100} or a YAML list ({@code List<Integer>}). */
    PERCENTS("P,P,..."),
    /** Several values ({@code List<String>}): repeated on the command line, a YAML list, one a line in Jenkins. */
    LIST("VALUE"),
    /** {@code NAME=VALUE} pairs ({@code Map<String, String>}): repeated on the command line, a YAML mapping, one a line in Jenkins. */
    PAIRS("NAME=VALUE"),
    /** A program and its arguments ({@code List<String>}), run without a shell: after {@code --} on the command line. */
    COMMAND("COMMAND"),
    /** One of the parameter's choices, lower case. */
    CHOICE("KIND");

    private final String label;

    ParameterType(String label) {
        this.label = label;
    }

    /** Whether values of this type are several: given empty, they are none rather than the default. */
    public boolean isList() {
        return this == LIST || this == PAIRS || this == COMMAND;
    }

    /** How the command line's help shows a value of this type. */
    public String label() {
        return label;
    }

    /**
     * Reads {@code raw}, which is neither null nor blank.
     *
     * @throws BadInputException naming {@code parameter.option()} when it does not read
     */
    Object read(Object raw, Parameter parameter) {
        String option = parameter.option();
        String text = raw instanceof String s ? s.strip() : String.valueOf(raw);
        return switch (this) {
            case TEXT -> text;
            case WHOLE -> whole(raw, text, option);
            case NUMBER -> number(raw, text, option);
            case BOOLEAN -> bool(raw, text, option);
            case DURATION -> Durations.read(raw instanceof Number ? text + "s" : text, option);
            case PATH -> path(text, option);
            case URL -> url(text, option);
            case PERCENTS -> percents(raw, text, option);
            case LIST, COMMAND -> list(raw);
            case PAIRS -> pairs(raw, option);
            case CHOICE -> choice(text, parameter);
        };
    }

    private static Long whole(Object raw, String text, String option) {
        if (raw instanceof Integer || raw instanceof Long) {
            return ((Number) raw).longValue();
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            throw new BadInputException(option + ": '" + text + "' is not a whole number");
        }
    }

    private static Double number(Object raw, String text, String option) {
        if (raw instanceof Number number) {
            return number.doubleValue();
        }
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException(text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadInputException(option + ": '" + text + "' is not a number");
        }
    }

    private static Boolean bool(Object raw, String text, String option) {
        if (raw instanceof Boolean value) {
            return value;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadInputException(option + ": '" + text + "' is not true or false");
        };
    }

    private static String path(String text, String option) {
        try {
            Path.of(text);
            return text;
        } catch (InvalidPathException e) {
            throw new BadInputException(option + ": '" + text + "' is not a path: " + e.getReason());
        }
    }

    private static URI url(String text, String option) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                throw new URISyntaxException(text, "no http(s) scheme or no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BadInputException(option + ": '" + text + "' is not a URL like http://host:8080");
        }
    }

    private static List<Integer> percents(Object raw, String text, String option) {
        List<?> items = raw instanceof List<?> list ? list : List.of(text.split(",", -1));
        List<Integer> percents = new ArrayList<>();
        for (Object item : items) {
            try {
                percents.add(item instanceof Integer i ? i : Integer.valueOf(String.valueOf(item).strip()));
            } catch (NumberFormatException e) {
                throw new BadInputException(option + ": '" + text + "' is not a list of percentages like 5,25,50,100");
            }
        }
        return List.copyOf(percents);
    }

    private static List<String> list(Object raw) {
        List<?> items = raw instanceof List<?> list ? list : List.of(raw);
        return items.stream().filter(item -> item != null && !String.valueOf(item).isBlank())
                .map(item -> String.valueOf(item).strip()).toList();
    }

    private static Map<String, String> pairs(Object raw, String option) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((name, value) -> pairs.put(String.valueOf(name), value == null ? "" : String.valueOf(value)));
            return Collections.unmodifiableMap(pairs);
        }
        for (String item : list(raw)) {
            int eq = item.indexOf('=');
            if (eq < 1) {
                throw new BadInputException(option + ": '" + item + "' is not NAME=VALUE");
            }
            pairs.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return Collections.unmodifiableMap(pairs);
    }

    private static String choice(String text, Parameter parameter) {
        String value = text.toLowerCase(Locale.ROOT);
        if (!parameter.choices().contains(value)) {
            throw new BadInputException(parameter.option() + ": '" + text + "' is not one of " + String.join(", ", parameter.choices()));
        }
        return value;
    }
}
