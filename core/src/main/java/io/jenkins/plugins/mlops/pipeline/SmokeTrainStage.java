package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.train.SmokeTrainParameters;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code smoke-train} stage: the parameters of {@code smokeTrain} ({@code mlops smoke-train}),
 * checked when the file is read; {@code command} is what follows {@code --} on the command line.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 */
public record SmokeTrainStage(Map<String, Object> values) implements Serializable {
    /** The parameters that name files: relative to the project, with {@code {run}} replaced. */
    private static final List<String> FILES = List.of("data", "out");

    public SmokeTrainStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Keys.required(StageKeys.text(values, "data"), "smoke-train.data");
        Object command = values.get("command");
        if (command instanceof Map<?, ?>) {
            throw Keys.invalid("smoke-train.command", "is a list, not a mapping: the program and its arguments, e.g. "
                    + "[.venv/bin/python, train.py]");
        }
        Keys.command(command instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : command == null ? null : List.of(String.valueOf(command)), "smoke-train.command");
        // A misspelt perturbation or a bad size is bad input when the file is read, before any stage runs.
        StageKeys.check("smoke-train", parameters(values, UnaryOperator.identity(), UnaryOperator.identity()));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SmokeTrainStage of(Map<String, Object> yaml) {
        return new SmokeTrainStage(StageKeys.byName("smoke-train", SmokeTrainParameters.CATALOGUE, yaml));
    }

    /**
     * The stage's parameters: {@code files} resolves the data and the output directory in the project,
     * {@code placeholders} replaces the pipeline's ({@code {run}}) in the command and the expected outputs.
     */
    ParameterBuilder<SmokeTrainParameters> parameters(UnaryOperator<String> files, UnaryOperator<String> placeholders) {
        return parameters(values, files, placeholders);
    }

    private static ParameterBuilder<SmokeTrainParameters> parameters(Map<String, Object> values, UnaryOperator<String> files,
            UnaryOperator<String> placeholders) {
        ParameterBuilder<SmokeTrainParameters> parameters = StageKeys.replacing(SmokeTrainParameters.builder().setAll(values),
                values, files, FILES);
        for (String name : List.of("command", "expectOutput")) {
            if (values.get(name) instanceof List<?> list) {
                parameters.set(name, list.stream().map(String::valueOf).map(placeholders).toList());
            }
        }
        return parameters;
    }
}
