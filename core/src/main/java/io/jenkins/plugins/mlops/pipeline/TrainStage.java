package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.train.TrainParameters;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code train} stage: the parameters of {@code trainOnGpu} ({@code mlops train}), checked when
 * the file is read, plus {@code model}.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 * @param model where the command writes the model ({@code {run}} is the run's directory), e.g.
 *     {@code {run}/train/model}; the gate scores it and register registers it
 */
public record TrainStage(Map<String, Object> values, String model) implements Serializable {
    private static final String MODEL = "model";

    public TrainStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        model = Keys.required(model, "train.model");
        Object command = values.get("command");
        Keys.command(command instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : command == null ? null : List.of(String.valueOf(command)), "train.command");
        StageKeys.check("train", parameters(values, UnaryOperator.identity()));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static TrainStage of(Map<String, Object> yaml) {
        Map<String, Object> values = StageKeys.byName("train", TrainParameters.CATALOGUE, yaml, MODEL);
        Object model = values.remove(MODEL);
        return new TrainStage(values, model == null ? null : String.valueOf(model));
    }

    /** The stage's parameters, the pipeline's placeholders ({@code {run}}) replaced in the command. */
    ParameterBuilder<TrainParameters> parameters(UnaryOperator<String> placeholders) {
        return parameters(values, placeholders);
    }

    private static ParameterBuilder<TrainParameters> parameters(Map<String, Object> values, UnaryOperator<String> placeholders) {
        ParameterBuilder<TrainParameters> parameters = TrainParameters.builder().setAll(values);
        if (values.get("command") instanceof List<?> command) {
            parameters.set("command", command.stream().map(String::valueOf).map(placeholders).toList());
        }
        return parameters;
    }

    /** The same stage with {@code arguments} after its command's own: a training change, as a pull request brings one. */
    public TrainStage withArguments(List<String> arguments) {
        // One value may be written without brackets: the command is then that single word.
        Object written = values.get("command");
        List<Object> command = new ArrayList<>(written instanceof List<?> list ? list : List.of(written));
        command.addAll(arguments);
        Map<String, Object> changed = new LinkedHashMap<>(values);
        changed.put("command", command);
        return new TrainStage(changed, model);
    }
}
