package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.MetricRange;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a gate report ({@code gate.json}, schema {@code mlops.gate/v1}) that decide
 * whether a model is registered. Read as a JSON tree, so this package does not depend on the gate
 * package, and read strictly: the file decides what ships, so a duplicate key, an unknown schema,
 * a status that contradicts the decision or a metric outside its range is refused as tampered or
 * broken, never interpreted.
 *
 * @param decision {@code PASS} or {@code FAIL}, exactly as the gate writes it
 * @param metrics each metric's candidate value, by metric name
 */
record GateReport(String decision, Map<String, Double> metrics) {
    static final String SCHEMA = "mlops.gate/v1";
    static final String STEP = "gateModel";
    static final String PASSED = "PASS";
    private static final List<String> DECISIONS = List.of("PASS", "FAIL");
    private static final List<String> STATUSES = List.of("PASS", "WARN", "FAIL", "ERROR");

    GateReport {
        metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
    }

    boolean passed() {
        return PASSED.equals(decision);
    }

    static GateReport read(Path file) {
        JsonNode gate = Json.readStrictObject(file);
        String schema = text(file, gate, "schema");
        if (!SCHEMA.equals(schema)) {
            throw new BadInputException(file + ": field 'schema' is '" + schema + "', expected '" + SCHEMA
                    + "' (a gate report written by mlops gate --report)");
        }
        String step = text(file, gate, "step");
        if (!STEP.equals(step)) {
            throw new BadInputException(file + ": field 'step' is '" + step + "', expected '" + STEP + "'");
        }
        String decision = oneOf(file, gate, "decision", DECISIONS);
        String status = oneOf(file, gate, "status", STATUSES);
        boolean statusPasses = status.equals("PASS") || status.equals("WARN");
        if (statusPasses != PASSED.equals(decision)) {
            throw new BadInputException(file + ": 'status' " + status + " contradicts 'decision' " + decision
                    + " (the gate decides PASS exactly when its status is PASS or WARN): the report was edited or is broken");
        }
        return new GateReport(decision, candidates(file, gate.path("metrics")));
    }

    private static Map<String, Double> candidates(Path file, JsonNode array) {
        Map<String, Double> metrics = new TreeMap<>();
        if (array.isMissingNode() || array.isNull()) {
            return metrics;
        }
        if (!array.isArray()) {
            throw new BadInputException(file + ": field 'metrics' must be an array");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode metric = array.get(i);
            JsonNode name = metric.path("name");
            if (!name.isTextual() || name.asText().isBlank()) {
                throw new BadInputException(file + ": metrics[" + i + "].name is missing or not a string");
            }
            if (metrics.containsKey(name.asText())) {
                throw new BadInputException(file + ": metrics[" + i + "]: metric '" + name.asText() + "' appears twice");
            }
            MetricRange range = MetricRange.of(name.asText());
            for (String field : List.of("candidate", "baseline")) {
                JsonNode value = metric.path(field);
                if (value.isNull() || value.isMissingNode()) {
                    continue;
                }
                if (!value.isNumber()) {
                    throw new BadInputException(file + ": metrics[" + i + "]." + field + " must be a number, not " + value);
                }
                if (!range.contains(value.doubleValue())) {
                    throw new BadInputException(file + ": metrics[" + i + "]." + field + " of " + name.asText() + " is "
                            + value + ", but " + name.asText() + " is " + range.describe());
                }
            }
            JsonNode candidate = metric.path("candidate");
            if (candidate.isNumber()) {
                metrics.put(name.asText(), candidate.doubleValue());
            }
        }
        return metrics;
    }

    private static String text(Path file, JsonNode gate, String field) {
        JsonNode node = gate.path(field);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new BadInputException(file + ": field '" + field + "' is missing or not a string (expected a gate report, gate.json)");
        }
        return node.asText();
    }

    private static String oneOf(Path file, JsonNode gate, String field, List<String> allowed) {
        String value = text(file, gate, field);
        if (!allowed.contains(value)) {
            throw new BadInputException(file + ": field '" + field + "' is '" + value + "', expected one of "
                    + String.join(", ", allowed) + " (upper case, as the gate writes it)");
        }
        return value;
    }
}
