package io.jenkins.plugins.mlops.train;

import java.util.List;
import java.util.Map;

/**
 * Substitutes {@code {data}}, {@code {epochs}} and {@code {out}} in each argument of the user's
 * command. Each argument stays one argument: there is no shell, so a path with spaces or quotes
 * is passed exactly.
 */
final class Placeholders {
    private Placeholders() {}

    static List<String> apply(List<String> arguments, Map<String, String> values) {
        return arguments.stream().map(argument -> apply(argument, values)).toList();
    }

    static String apply(String argument, Map<String, String> values) {
        String result = argument;
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.replace("{" + value.getKey() + "}", value.getValue());
        }
        return result;
    }
}
