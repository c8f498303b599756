package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code {data}}, {@code {epochs}} and {@code {out}} in each argument of the user's
 * command. Each argument stays one argument: there is no shell, so a path with spaces or quotes
 * is passed exactly. A {@code {name}} that is not a known placeholder is bad input (a typo such as
 * {@code {dat}} would otherwise reach the script literally); {@code {{name}}} passes a literal
 * {@code {name}}. Braces around anything but a name (JSON, a Python dict) pass as they are.
 */
final class Placeholders {
    /** The names smoke-train substitutes. */
    static final List<String> KNOWN = List.of("data", "epochs", "out");
    /** {{name}} (a literal), or {name}, a name being a Python identifier. */
    private static final Pattern TOKEN = Pattern.compile("\\{\\{([A-Za-z_][A-Za-z0-9_]*)\\}\\}|\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

    private Placeholders() {}

    /** Refuses an argument with a {name} that is not one of {@link #KNOWN}, before anything runs. */
    static void check(List<String> arguments) {
        Map<String, String> names = new LinkedHashMap<>();
        KNOWN.forEach(name -> names.put(name, ""));
        arguments.forEach(argument -> apply(argument, names));
    }

    static List<String> apply(List<String> arguments, Map<String, String> values) {
        return arguments.stream().map(argument -> apply(argument, values)).toList();
    }

    static String apply(String argument, Map<String, String> values) {
        Matcher m = TOKEN.matcher(argument);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = "{" + m.group(1) + "}";
            } else if (values.containsKey(m.group(2))) {
                replacement = values.get(m.group(2));
            } else {
                throw new BadInputException("unknown placeholder " + m.group() + " in '" + argument + "'; known: "
                        + String.join(", ", values.keySet().stream().map(k -> "{" + k + "}").toList())
                        + " (write {{" + m.group(2) + "}} to pass " + m.group() + " literally)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
