package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A repeatable {@code NAME=VALUE} option read in order, where a name given twice is bad input:
 * picocli's own map options let the later one win silently, so two {@code --variant stable=...}
 * would route to whichever came last.
 */
final class KeyValueOptions {
    private KeyValueOptions() {}

    /** @param value turns the text after '=' into the value; it throws {@link BadInputException} for a bad one */
    static <V> Map<String, V> parse(List<String> given, String option, Function<String, V> value) {
        Map<String, V> parsed = new LinkedHashMap<>();
        for (String pair : given) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException(option + " '" + pair + "': expected NAME=VALUE");
            }
            String name = pair.substring(0, eq);
            if (parsed.containsKey(name)) {
                throw new BadInputException(option + " " + name + " is given twice; give each name once");
            }
            parsed.put(name, value.apply(pair.substring(eq + 1)));
        }
        return parsed;
    }
}
