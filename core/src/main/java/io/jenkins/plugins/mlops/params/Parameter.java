package io.jenkins.plugins.mlops.params;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One parameter of a step, described once for every front end: its name (camelCase, as a
 * Jenkinsfile spells it; the CLI and {@code mlops.yaml} spell it in kebab case), its type, its
 * default as a user would type it (null: none, or one the step derives from other parameters), the
 * help text, the front ends that offer it, and how the command line's help shows its value.
 */
public record Parameter(String name, ParameterType type, String defaultValue, String help, List<String> choices,
        Set<FrontEnd> frontEnds, String label) implements Serializable {

    public Parameter {
        if (!name.matches("[a-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("a parameter's name is camelCase: " + name);
        }
        choices = List.copyOf(choices);
        frontEnds = Set.copyOf(frontEnds);
        if (type == ParameterType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException(name + ": a choice needs its choices");
        }
    }

    /** A parameter every front end offers. */
    public static Parameter of(String name, ParameterType type, String defaultValue, String help) {
        return new Parameter(name, type, defaultValue, help, List.of(), EnumSet.allOf(FrontEnd.class), type.label());
    }

    /** One of a few words, e.g. a backend. */
    public static Parameter choice(String name, String defaultValue, String help, String... choices) {
        return new Parameter(name, ParameterType.CHOICE, defaultValue, help, List.of(choices), EnumSet.allOf(FrontEnd.class),
                String.join("|", choices));
    }

    /** The same parameter, offered only by {@code frontEnds}; say where the catalogue is built why. */
    public Parameter only(FrontEnd first, FrontEnd... more) {
        return new Parameter(name, type, defaultValue, help, choices, EnumSet.of(first, more), label);
    }

    /** The same parameter, its value shown as {@code label} in the command line's help, e.g. {@code NAME=SECRET:KEY}. */
    public Parameter labelled(String label) {
        return new Parameter(name, type, defaultValue, help, choices, frontEnds, label);
    }

    public boolean offeredBy(FrontEnd frontEnd) {
        return frontEnds.contains(frontEnd);
    }

    /** The name in kebab case: {@code stepDuration} is {@code step-duration}, the key in {@code mlops.yaml}. */
    public String key() {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** The command line's option, {@code --step-duration}; messages name the parameter so in every front end. */
    public String option() {
        return "--" + key();
    }
}
