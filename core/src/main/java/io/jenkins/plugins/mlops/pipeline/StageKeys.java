package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The keys of a stage whose step has a parameter catalogue: each key is a parameter's kebab-case
 * name, its value is handed to the step's builder as YAML typed it, and read there as the CLI's
 * and Jenkins' values are.
 */
final class StageKeys {
    private StageKeys() {}

    /** Reads the stage's parameters as the step will, so that a bad value fails when the file is read, naming the stage. */
    static void check(String stage, ParameterBuilder<?> parameters) {
        try {
            parameters.build();
        } catch (BadInputException e) {
            throw Keys.invalid(stage, e.getMessage());
        }
    }

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
                    .orElseThrow(() -> new UnknownKeyException(key, stage + "." + key + ": unknown key '" + key + "'; known keys: "
                            + Stream.concat(own.stream(), catalogue.parameters().stream().filter(p -> p.offeredBy(FrontEnd.YAML))
                                    .map(Parameter::key)).sorted().collect(Collectors.joining(", "))));
            values.put(parameter.name(), value);
        });
        return values;
    }

    /** A key the stage does not take; {@link PipelineFile} names the key's line, not the stage's. */
    static final class UnknownKeyException extends BadInputException {
        private static final long serialVersionUID = 1L;
        private final String key;

        UnknownKeyException(String key, String message) {
            super(message);
            this.key = key;
        }

        String key() {
            return key;
        }
    }
}
