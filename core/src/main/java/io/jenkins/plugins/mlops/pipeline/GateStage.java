package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.jenkins.plugins.mlops.gate.GateParameters;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The {@code gate} stage: the parameters of {@code gateModel} ({@code mlops gate}), checked when the
 * file is read, plus how the pipeline gets the predictions the gate compares.
 *
 * @param values the stage's values by parameter name, as YAML typed them
 * @param evaluate the command that writes a model's hold-out predictions: {@code {model}} is the
 *     model (directory or URI), {@code {out}} the predictions file to write. It scores the
 *     candidate and the champion on the same rows, unless {@code candidate} or a baseline key is given.
 * @param firstBaseline when no model holds the champion alias: the command that writes the
 *     predictions of a reference baseline (e.g. the class prior) to {@code {out}}
 * @param firstPolicy the policy of the first model (absolute thresholds); {@code policy} otherwise
 */
public record GateStage(Map<String, Object> values, List<String> evaluate, List<String> firstBaseline, String firstPolicy)
        implements Serializable {
    private static final String EVALUATE = "evaluate";
    private static final String FIRST_BASELINE = "first-baseline";
    private static final String FIRST_POLICY = "first-policy";
    /** The parameters that name files: relative to the project, with {@code {run}} replaced. */
    private static final List<String> FILES = List.of("baseline", "baselineMetrics", "candidate", "policy");

    public GateStage {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Keys.required(text(values, "label"), "gate.label");
        Keys.required(text(values, "prediction"), "gate.prediction");
        evaluate = evaluate == null ? null : Keys.command(evaluate, "gate.evaluate");
        firstBaseline = firstBaseline == null ? null : Keys.command(firstBaseline, "gate.first-baseline");
        if (Stream.of("baseline", "baselineMetrics", "baselineModel").filter(values::containsKey).count() > 1) {
            throw Keys.invalid("gate.baseline", "give at most one of baseline, baseline-metrics, baseline-model");
        }
        if (!values.containsKey("candidate") && evaluate == null) {
            throw Keys.invalid("gate.evaluate", "is required unless candidate names the candidate's predictions");
        }
        StageKeys.check("gate", parameters(values, UnaryOperator.identity()));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static GateStage of(Map<String, Object> yaml) {
        Map<String, Object> values = StageKeys.byName("gate", GateParameters.CATALOGUE, yaml, EVALUATE, FIRST_BASELINE, FIRST_POLICY);
        return new GateStage(values, command(values.remove(EVALUATE)), command(values.remove(FIRST_BASELINE)),
                string(values.remove(FIRST_POLICY)));
    }

    /** The stage's parameters with the pipeline's placeholders replaced in the files; the runner adds what it scored. */
    ParameterBuilder<GateParameters> parameters(UnaryOperator<String> placeholders) {
        return parameters(values, placeholders);
    }

    private static ParameterBuilder<GateParameters> parameters(Map<String, Object> values, UnaryOperator<String> placeholders) {
        ParameterBuilder<GateParameters> parameters = GateParameters.builder().setAll(values);
        for (String file : FILES) {
            String value = text(values, file);
            parameters.set(file, value == null ? null : placeholders.apply(value));
        }
        return parameters;
    }

    String text(String name) {
        return text(values, name);
    }

    /** Whether the user named the baseline; otherwise the pipeline scores the champion. */
    boolean baselineGiven() {
        return Stream.of("baseline", "baselineMetrics", "baselineModel").anyMatch(values::containsKey);
    }

    private static String text(Map<String, Object> values, String name) {
        return string(values.get(name));
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static List<String> command(Object value) {
        return value == null ? null : value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(value));
    }
}
