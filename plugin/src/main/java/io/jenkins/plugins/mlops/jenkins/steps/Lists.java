package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.AbortException;
import hudson.Util;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repeatable CLI options, as one string parameter: a Snippet Generator text field or a
 * Jenkinsfile literal. Lists split on commas and newlines; {@code KEY=VALUE} pairs on newlines
 * only (and on commas where the values cannot hold one).
 */
final class Lists {
    private Lists() {}

    static List<String> items(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\n]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code KEY=VALUE} lines into a map, in order; a line without {@code =} is bad input naming the parameter. */
    static Map<String, String> pairs(String text, String parameter) throws AbortException {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new AbortException(parameter + ": '" + line + "' is not KEY=VALUE");
            }
            pairs.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return pairs;
    }

    /** A command as a shell would split it (quotes group words), run without a shell. */
    static List<String> command(String text) {
        return text == null ? List.of() : List.of(Util.tokenize(text));
    }
}
