package io.jenkins.plugins.mlops.gate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        metrics.forEach((metric, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new BadInputException("recorded baseline metric " + metric.id() + " is not a finite number: " + value);
            }
        });
        if (description == null || description.isBlank()) {
            throw new BadInputException("a recorded baseline needs a description of where its metrics came from");
        }
    }

    /**
     * Reads a JSON object of metric name to value, e.g. {@code {"roc_auc": 0.91, "f1_score": 0.7}}.
     * Names may be the gate's or the ones mlflow.evaluate logs ({@code f1_score}, {@code r2_score},
     * ...); other entries (a registry records many) are ignored. A known metric with a value that
     * is not a finite number is bad input.
     */
    public static RecordedBaseline read(Path file) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": baseline metrics file not found");
        } catch (JacksonException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the baseline metrics: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(file + ": expected a JSON object of metric name to value, e.g. {\"roc_auc\": 0.91}");
        }
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
