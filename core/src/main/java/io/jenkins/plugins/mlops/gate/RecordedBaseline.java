package io.jenkins.plugins.mlops.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.MetricRange;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Baseline metrics recorded earlier (for example logged on the model version that holds the
 * registry's {@code champion} alias), used when no baseline predictions exist. This is weaker than
 * scoring both models on the same rows: the recorded values may come from other data, and without
 * per-row outputs there is no paired interval, so the gate compares point values only and says so.
 *
 * @param metrics recorded value per metric
 * @param description where the values came from, for the report (e.g. {@code models:/churn@champion})
 */
public record RecordedBaseline(Map<Metric, Double> metrics, String description) implements BaselineSource {

    public RecordedBaseline {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (description == null || description.isBlank()) {
            throw new BadInputException("a recorded baseline needs a description of where its metrics came from");
        }
        String source = description;
        metrics.forEach((metric, value) -> {
            MetricRange range = MetricRange.of(metric.id());
            if (value == null || !range.contains(value)) {
                // An AUC of -1 is a broken or tampered file, and a gate against it would pass anything.
                throw new BadInputException(source + ": " + metric.id() + " must be " + range.describe() + ", got " + value);
            }
        });
    }

    /**
     * Reads a JSON object of metric name to value, e.g. {@code {"roc_auc": 0.91, "f1_score": 0.7}}.
     * Names may be the gate's or the ones mlflow.evaluate logs ({@code f1_score}, {@code r2_score},
     * ...); other entries (a registry records many) are ignored. Malformed JSON, a duplicate key,
     * and a known metric whose value is not a number in its range (an AUC in [0, 1]) are bad input.
     */
    public static RecordedBaseline read(Path file) {
        // Strict: with two roc_auc keys, which one the gate compared against would be a guess.
        JsonNode root = Json.readStrictObject(file);
        Map<String, Double> named = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (Metric.fromRecordedName(entry.getKey()).isEmpty()) {
                continue;
            }
            JsonNode value = entry.getValue();
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new BadInputException(file + ": " + entry.getKey() + ": must be a finite number, got " + value);
            }
            named.put(entry.getKey(), value.doubleValue());
        }
        return fromNamed(named, "recorded metrics in " + file);
    }

    /**
     * The baseline from values recorded under the gate's or mlflow.evaluate's metric names; names
     * the gate does not know are ignored, two names for one metric must agree.
     *
     * @param description where the values came from; also names the source in error messages
     */
    public static RecordedBaseline fromNamed(Map<String, Double> named, String description) {
        Map<Metric, Double> values = new LinkedHashMap<>();
        named.forEach((name, value) -> Metric.fromRecordedName(name).ifPresent(metric -> {
            Double earlier = values.put(metric, value);
            if (earlier != null && !earlier.equals(value)) {
                throw new BadInputException(description + ": " + name + " and another name for " + metric.id()
                        + " disagree (" + earlier + " vs " + value + ")");
            }
        }));
        if (values.isEmpty()) {
            throw new BadInputException(description + ": holds no metric the gate knows; known: " + Metric.knownIds());
        }
        return new RecordedBaseline(values, description);
    }
}
