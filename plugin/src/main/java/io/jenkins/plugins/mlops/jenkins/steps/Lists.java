package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.Util;
import java.util.Arrays;
import java.util.List;

/**
 * The repeatable CLI options, as one string parameter: a Snippet Generator text field or a
 * Jenkinsfile literal. Lists split on commas and newlines, or on newlines only where an item may
 * hold a comma ({@code KEY=VALUE} pairs, SQL).
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

    /** A command as a shell would split it (quotes group words), run without a shell. */
    static List<String> command(String text) {
        return text == null ? List.of() : List.of(Util.tokenize(text));
    }
}
