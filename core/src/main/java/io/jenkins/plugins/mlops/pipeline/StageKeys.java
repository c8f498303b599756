package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The keys of a stage whose step has a parameter catalogue: each key is a parameter's kebab-case
 * name, its value is handed to the step's builder as YAML typed it, and read there as the CLI's
 * and Jenkins' values are.
 */
final class StageKeys {
    private StageKeys() {}

    /** The pipeline's own defaults for a stage that runs the router: a free port, and the log in the run's directory. */
    static final String ROUTER_LISTEN = "127.0.0.1:0";
    static final String ROUTER_LOG = "jdbc:sqlite:{run}/predictions.db";

    /** A value as text, or null. */
    static String text(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value == null ? null : String.valueOf(value);
    }

    /** Sets the named values with the pipeline's placeholders ({@code {run}}) replaced: files, the log. */
    static <P> ParameterBuilder<P> replacing(ParameterBuilder<P> parameters, Map<String, Object> values,
            UnaryOperator<String> placeholders, List<String> names) {
        for (String name : names) {
            String value = text(values, name);
            parameters.set(name, value == null ? null : placeholders.apply(value));
        }
        return parameters;
    }

    /** The router stages' defaults under the given values, placeholders replaced in the log and {@code files}. */
    static <P> ParameterBuilder<P> routerDefaults(ParameterBuilder<P> parameters, Map<String, Object> values,
            UnaryOperator<String> placeholders, List<String> files) {
        parameters.setAll(values).setAbsent("listen", ROUTER_LISTEN)
                .set("log", placeholders.apply(values.containsKey("log") ? text(values, "log") : ROUTER_LOG));
        return replacing(parameters, values, placeholders, files);
    }

    /** The pipeline serves both models itself, or neither: one URL alone is a mistake. */
    static void bothOrNeither(String stage, Map<String, Object> values, String first, String second) {
        if ((values.get(first) == null) != (values.get(second) == null)) {
            throw Keys.invalid(stage + "." + first, "give both " + first + " and " + second
                    + " URLs, or neither (the pipeline serves both)");
        }
    }

    /**
     * Reads the stage's parameters as the step will, so that a bad value fails when the file is read,
     * naming the stage, and the key and its line where the message names an option ({@code --rows: ...}).
     */
    static <P> P check(String stage, ParameterBuilder<P> parameters) {
        try {
            return parameters.build();
        } catch (BadInputException e) {
            Matcher option = OPTION.matcher(e.getMessage());
            if (option.lookingAt()) {
                String key = option.group(1);
                throw new KeyException(key, stage + "." + key + ": " + e.getMessage().substring(option.end()));
            }
            throw Keys.invalid(stage, e.getMessage());
        }
    }

    /** A catalogue's message about one value: {@code --rows: 'many' is not a whole number}. */
    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z0-9-]*): ");

    /**
     * The stage's values by parameter name, and its own keys (the pipeline's, not the step's) by
     * key; any other key is bad input that lists the known ones.
     */
    static Map<String, Object> byName(String stage, ParameterCatalogue catalogue, Map<String, Object> yaml, String... ownKeys) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (yaml == null) {
            return values;
        }
        Set<String> own = Set.of(ownKeys);
        yaml.forEach((key, value) -> {
            if (own.contains(key)) {
                values.put(key, value);
                return;
            }
            Parameter parameter = catalogue.byKey(key).filter(p -> p.offeredBy(FrontEnd.YAML))
                    .orElseThrow(() -> new KeyException(key, stage + "." + key + ": unknown key '" + key + "'; known keys: "
                            + Stream.concat(own.stream(), catalogue.parameters().stream().filter(p -> p.offeredBy(FrontEnd.YAML))
                                    .map(Parameter::key)).sorted().collect(Collectors.joining(", "))));
            values.put(parameter.name(), value);
        });
        return values;
    }

    /** A key the stage does not take, or whose value does not read; {@link PipelineFile} names the key's line, not the stage's. */
    static final class KeyException extends BadInputException {
        private static final long serialVersionUID = 1L;
        private final String key;

        KeyException(String key, String message) {
            super(message);
            this.key = key;
        }

        String key() {
            return key;
        }
    }
}
