package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code validate} stage: the parameters of {@code validateData} ({@code mlops validate-data}),
 * checked when the file is read, plus {@code on-drift}.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 * @param onDrift {@code stop} (default) fails the run on drift like any failed check; {@code retrain}
 *     treats a run whose only failed checks compare the data with the reference ({@code drift},
 *     new {@code categories}) as the reason to retrain and carries on, reporting the drift
 */
public record ValidateStage(Map<String, Object> values, OnDrift onDrift) implements Serializable {
    private static final String ON_DRIFT = "on-drift";
    /** The parameters that name files: relative to the project, with {@code {run}} replaced. */
    private static final List<String> FILES = List.of("data", "reference", "referenceProfile", "schema");

    /** What drift does to the run. */
    public enum OnDrift { STOP, RETRAIN }

    public ValidateStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Keys.required(values.get("data") == null ? null : String.valueOf(values.get("data")), "validate.data");
        onDrift = onDrift == null ? OnDrift.STOP : onDrift;
        try {
            parameters(values, UnaryOperator.identity()).build().config(Path.of(""));
        } catch (BadInputException e) {
            throw Keys.invalid("validate", e.getMessage());
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ValidateStage of(Map<String, Object> yaml) {
        Map<String, Object> values = StageKeys.byName("validate", ValidateDataParameters.CATALOGUE, yaml, ON_DRIFT);
        Object onDrift = values.remove(ON_DRIFT);
        return new ValidateStage(values, onDrift == null ? null : onDrift(String.valueOf(onDrift)));
    }

    /** The stage's parameters with the pipeline's placeholders replaced in the files. */
    ParameterBuilder<ValidateDataParameters> parameters(UnaryOperator<String> placeholders) {
        return parameters(values, placeholders);
    }

    private static ParameterBuilder<ValidateDataParameters> parameters(Map<String, Object> values,
            UnaryOperator<String> placeholders) {
        ParameterBuilder<ValidateDataParameters> parameters = ValidateDataParameters.builder().setAll(values);
        for (String file : FILES) {
            Object value = values.get(file);
            parameters.set(file, value == null ? null : placeholders.apply(String.valueOf(value)));
        }
        return parameters;
    }

    private static OnDrift onDrift(String text) {
        try {
            return OnDrift.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Keys.invalid("validate.on-drift", "'" + text + "' is not stop or retrain");
        }
    }
}
