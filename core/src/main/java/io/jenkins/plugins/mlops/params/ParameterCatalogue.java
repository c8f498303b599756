package io.jenkins.plugins.mlops.params;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every parameter of one step, in the order help shows them. The command line's options, the keys
 * of the step's {@code mlops.yaml} stage and the Jenkins step's parameters are made from, or
 * checked against, this list; each front end hands its values over by name and they are read here.
 *
 * @param step the step's name as a Jenkinsfile calls it, e.g. {@code canaryRollout}
 */
public record ParameterCatalogue(String step, List<Parameter> parameters) implements Serializable {

    public ParameterCatalogue {
        parameters = List.copyOf(parameters);
        if (parameters.stream().map(Parameter::name).distinct().count() != parameters.size()) {
            throw new IllegalArgumentException(step + ": a parameter is listed twice");
        }
    }

    /** The parameter called {@code name}; a name that is not in the catalogue is a programming error. */
    public Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(step + " has no parameter " + name));
    }

    /** The parameter whose {@code mlops.yaml} key is {@code key}, if any. */
    public Optional<Parameter> byKey(String key) {
        return parameters.stream().filter(p -> p.key().equals(key)).findFirst();
    }

    /** The names {@code frontEnd} offers, sorted. */
    public Set<String> names(FrontEnd frontEnd) {
        return parameters.stream().filter(p -> p.offeredBy(frontEnd)).map(Parameter::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Reads the values a front end collected by parameter name; null and blank ones are absent and
     * take the default.
     */
    public ParameterValues read(Map<String, ?> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            Object value = raw.get(parameter.name());
            Object given = isAbsent(parameter, value) ? parameter.defaultValue() : value;
            if (given != null) {
                values.put(parameter.name(), parameter.type().read(given, parameter));
            }
        }
        raw.keySet().forEach(this::parameter);
        return new ParameterValues(this, values);
    }

    /** Reads one value alone, as a form checks a field: throws the message the step would fail with. */
    public void check(String name, Object raw) {
        Parameter parameter = parameter(name);
        if (!isAbsent(parameter, raw)) {
            parameter.type().read(raw, parameter);
        }
    }

    /**
     * Null, or blank text; but an empty list, blank text included, is given: {@code --alias ''} or
     * {@code alias: []} is no alias, not the default one.
     */
    static boolean isAbsent(Parameter parameter, Object value) {
        return value == null || !parameter.type().isList() && value instanceof String text && text.isBlank();
    }
}
