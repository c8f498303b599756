package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.AbortException;
import hudson.Util;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.util.Map;

/**
 * How a step's {@code @DataBoundSetter}s hand their values to the step's parameter catalogue in
 * core: the setters only store them by parameter name (in the step's own map, which XStream saves
 * with the step), the getters show the catalogue's defaults in the form, and the values are checked
 * once, by core, when the step starts. Text areas hold a list one item a line.
 */
final class StepParameters {
    private final ParameterCatalogue catalogue;
    private final Map<String, String> jenkinsDefaults;

    /** @param jenkinsDefaults where a step's Jenkins default differs from the CLI's, with the reason where it is given */
    StepParameters(ParameterCatalogue catalogue, Map<String, String> jenkinsDefaults) {
        this.catalogue = catalogue;
        this.jenkinsDefaults = Map.copyOf(jenkinsDefaults);
        jenkinsDefaults.keySet().forEach(catalogue::parameter);
    }

    /**
     * Stores a setter's value. Blank text is the default, but for a list whose default is not empty
     * (aliases: staging) it is none, as an empty form field was before.
     */
    void set(Map<String, Object> values, String name, Object value) {
        Parameter parameter = catalogue.parameter(name);
        boolean noneDiffersFromDefault = parameter.type().isList() && parameter.defaultValue() != null;
        Object kept = value instanceof String text ? (noneDiffersFromDefault ? text.strip() : Util.fixEmptyAndTrim(text)) : value;
        if (kept == null) {
            values.remove(name);
        } else {
            values.put(name, kept);
        }
    }

    /** The value given, else the default (null where there is none). */
    String text(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value != null ? String.valueOf(value) : defaultValue(name);
    }

    long whole(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value != null ? ((Number) value).longValue() : Long.parseLong(defaultValue(name));
    }

    double number(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value != null ? ((Number) value).doubleValue() : Double.parseDouble(defaultValue(name));
    }

    /** The step's parameters, read and checked by core; bad input ends the step with core's message. */
    <P> P build(Map<String, Object> values, ParameterBuilder<P> builder) throws AbortException {
        try {
            jenkinsDefaults.forEach(builder::set);
            values.forEach((name, value) -> builder.set(name, value instanceof String text ? read(name, text) : value));
            return builder.build();
        } catch (BadInputException e) {
            throw new AbortException(catalogue.step() + ": " + e.getMessage());
        }
    }

    /** A text field's value as the catalogue takes it: lists one item a line, a command split as a shell would. */
    private Object read(String name, String text) {
        return switch (catalogue.parameter(name).type()) {
            case LIST, PAIRS -> Lists.lines(text);
            case COMMAND -> Lists.command(text);
            default -> text;
        };
    }

    private String defaultValue(String name) {
        Parameter parameter = catalogue.parameter(name);
        return jenkinsDefaults.getOrDefault(name, parameter.defaultValue());
    }
}
