package io.jenkins.plugins.mlops.gate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a gate policy YAML file strictly: an unknown key, a value of the wrong type or an
 * unknown metric is bad input whose message names the file and the field, because a typo in a
 * gate policy (say {@code treshold}) silently ignored would let a worse model through.
 *
 * <pre>
 * primary_metric: roc_auc
 * metrics:
 *   roc_auc: {threshold: 0.80, no_significant_regression: true}
 *   log_loss: {max_regression: 0.01}
 * slices:
 *   columns: [region]
 *   min_size: 200
 *   metrics:
 *     roc_auc: {threshold: 0.75}
 * </pre>
 */
public final class PolicyParser {
    private static final Set<String> TOP_LEVEL = Set.of("primary_metric", "metrics", "slices");
    private static final Set<String> RULE_FIELDS = Set.of("threshold", "min_absolute_change", "min_relative_change",
            "greater_is_better", "max_regression", "no_significant_regression");
    private static final Set<String> SLICE_FIELDS = Set.of("columns", "min_size", "metrics");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final long MAX_BYTES = 1 << 20;

    private final String source;

    private PolicyParser(String source) {
        this.source = source;
    }

    public static GatePolicy parse(Path file) {
        String text;
        try {
            text = BoundedFiles.readString(file, MAX_BYTES, "a policy is a few rules");
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": policy file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the policy file: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** @param source the file name, used in messages */
    public static GatePolicy parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new BadInputException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot read the policy: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new BadInputException(source + ": the policy is empty; give at least one of " + TOP_LEVEL);
        }
        return new PolicyParser(source).policy(root);
    }

    private GatePolicy policy(JsonNode root) {
        requireObject(root, "the top level");
        requireKnownFields(root, TOP_LEVEL, "");
        Metric primary = root.has("primary_metric")
                ? metric(text(root.get("primary_metric"), "primary_metric"), "primary_metric") : null;
        Map<Metric, MetricRule> rules = root.has("metrics") ? rules(root.get("metrics"), "metrics") : Map.of();
        SlicePolicy slices = root.has("slices") ? slices(root.get("slices")) : SlicePolicy.none();
        return new GatePolicy(primary, rules, slices);
    }

    private SlicePolicy slices(JsonNode node) {
        requireObject(node, "slices");
        requireKnownFields(node, SLICE_FIELDS, "slices.");
        List<String> columns = new ArrayList<>();
        if (node.has("columns")) {
            JsonNode list = node.get("columns");
            if (!list.isArray()) {
                throw bad("slices.columns", "must be a list of column names");
            }
            for (int i = 0; i < list.size(); i++) {
                columns.add(text(list.get(i), "slices.columns[" + i + "]"));
            }
        }
        int minSize = SlicePolicy.DEFAULT_MIN_SIZE;
        if (node.has("min_size")) {
            JsonNode value = node.get("min_size");
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw bad("slices.min_size", "must be a whole number, got " + describe(value));
            }
            minSize = value.intValue();
        }
        Map<Metric, MetricRule> rules = node.has("metrics") ? rules(node.get("metrics"), "slices.metrics") : Map.of();
        try {
            return new SlicePolicy(columns, minSize, rules);
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
    }

    private Map<Metric, MetricRule> rules(JsonNode node, String path) {
        requireObject(node, path);
        Map<Metric, MetricRule> rules = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String field = path + "." + entry.getKey();
            rules.put(metric(entry.getKey(), field), rule(entry.getValue(), field));
        }
        return rules;
    }

    private MetricRule rule(JsonNode node, String path) {
        requireObject(node, path);
        requireKnownFields(node, RULE_FIELDS, path + ".");
        Boolean greaterIsBetter = bool(node, "greater_is_better", path);
        boolean noSignificantRegression = Boolean.TRUE.equals(bool(node, "no_significant_regression", path));
        try {
            return new MetricRule(number(node, "threshold", path), number(node, "min_absolute_change", path),
                    number(node, "min_relative_change", path), greaterIsBetter, number(node, "max_regression", path),
                    noSignificantRegression);
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + path + "." + e.getMessage(), e);
        }
    }

    private Boolean bool(JsonNode node, String field, String path) {
        if (!node.has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw bad(path + "." + field, "must be true or false, got " + describe(value));
        }
        return value.booleanValue();
    }

    private Double number(JsonNode node, String field, String path) {
        if (!node.has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isNumber()) {
            throw bad(path + "." + field, "must be a number, got " + describe(value));
        }
        return value.doubleValue();
    }

    private Metric metric(String name, String field) {
        return Metric.fromId(name, source + ": " + field);
    }

    private String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw bad(field, "must be a name, got " + describe(value));
        }
        return value.textValue();
    }

    private void requireObject(JsonNode node, String field) {
        if (!node.isObject()) {
            throw bad(field, "must be a mapping of keys to values, got " + describe(node));
        }
    }

    private void requireKnownFields(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw bad(prefix + name, "unknown field; known fields here: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private BadInputException bad(String field, String problem) {
        return new BadInputException(source + ": " + field + ": " + problem);
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "'" + value.textValue() + "'";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.isNull() ? "nothing" : value.toString();
    }
}
