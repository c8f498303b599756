package io.jenkins.plugins.mlops.deploy.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.deploy.payload.Predictions;
import io.jenkins.plugins.mlops.deploy.router.Exchange;
import io.jenkins.plugins.mlops.deploy.router.ExchangeListener;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.stream.Collectors;

/**
 * Compares the primary's and the shadow's answers row by row as the router records them, keeping
 * aggregates, both prediction samples and the worst rows, not the bodies.
 */
final class ShadowComparison implements ExchangeListener {
    static final int WORST = 10;
    private static final int SNIPPET = 300;

    private final CompareMode mode;
    private final double tolerance;
    private long requests;
    private long primaryErrors;
    private long shadowErrors;
    private long compared;
    private long rows;
    private long agreeing;
    private double differenceSum;
    private long numericRows;
    private double maxDifference;
    private final List<Double> primaryLatencies = new ArrayList<>();
    private final List<Double> shadowLatencies = new ArrayList<>();
    private final List<Double> primaryNumbers = new ArrayList<>();
    private final List<Double> shadowNumbers = new ArrayList<>();
    private final Map<String, Long> primaryLabels = new HashMap<>();
    private final Map<String, Long> shadowLabels = new HashMap<>();
    private final PriorityQueue<Example> worst = new PriorityQueue<>(Comparator.comparingDouble(Example::difference));

    ShadowComparison(CompareMode mode, double tolerance) {
        this.mode = mode;
        this.tolerance = tolerance;
    }

    @Override
    public synchronized void onExchange(Exchange primary) {
        requests++;
        primaryLatencies.add(primary.latencyMs());
        if (primary.failed()) {
            primaryErrors++;
        }
    }

    @Override
    public synchronized void onMirrored(Exchange primary, Exchange shadow) {
        shadowLatencies.add(shadow.latencyMs());
        if (shadow.failed()) {
            shadowErrors++;
            return;
        }
        if (primary.status() < 200 || primary.status() >= 300) {
            return; // nothing to compare against
        }
        compared++;
        JsonNode request = Predictions.parse(primary.request());
        List<JsonNode> inputs = Predictions.requestRowValues(request);
        List<JsonNode> left = Predictions.responseRows(Predictions.parse(primary.response()));
        List<JsonNode> right = shadow.status() >= 200 && shadow.status() < 300
                ? Predictions.responseRows(Predictions.parse(shadow.response())) : List.of();
        int n = Math.max(left.size(), right.size());
        for (int i = 0; i < n; i++) {
            JsonNode a = i < left.size() ? left.get(i) : null;
            JsonNode b = i < right.size() ? right.get(i) : null;
            double difference = difference(a, b);
            rows++;
            if (difference <= tolerance) {
                agreeing++;
            }
            collect(a, primaryNumbers, primaryLabels);
            collect(b, shadowNumbers, shadowLabels);
            if (difference > 0 || Double.isNaN(difference)) {
                double rank = Double.isNaN(difference) ? Double.MAX_VALUE : difference;
                if (worst.size() < WORST || worst.peek().difference() < rank) {
                    worst.add(new Example(primary.requestId(), i, rank, snippet(i < inputs.size() ? inputs.get(i) : null),
                            snippet(a), snippet(b)));
                    if (worst.size() > WORST) {
                        worst.poll();
                    }
                }
            }
        }
    }

    /** |a - b| for numbers, else 0 when equal and 1 when not; NaN when a side has no row. */
    private double difference(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return Double.NaN;
        }
        OptionalDouble x = Predictions.numeric(a);
        OptionalDouble y = Predictions.numeric(b);
        boolean numbers = x.isPresent() && y.isPresent();
        CompareMode effective = mode == CompareMode.AUTO ? (numbers ? CompareMode.NUMERIC : a.isTextual() || b.isTextual()
                ? CompareMode.LABEL : CompareMode.JSON) : mode;
        switch (effective) {
            case NUMERIC -> {
                if (!numbers) {
                    return Double.NaN;
                }
                double d = Math.abs(x.getAsDouble() - y.getAsDouble());
                differenceSum += d;
                numericRows++;
                maxDifference = Math.max(maxDifference, d);
                return d;
            }
            case LABEL -> {
                return label(a).equals(label(b)) ? 0 : 1;
            }
            default -> {
                return a.equals(b) ? 0 : 1;
            }
        }
    }

    private static String label(JsonNode node) {
        if (node.isNumber()) {
            return new BigDecimal(node.asText()).stripTrailingZeros().toPlainString();
        }
        if (node.isArray() && node.size() == 1) {
            return label(node.get(0));
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    private void collect(JsonNode row, List<Double> numbers, Map<String, Long> labels) {
        if (row == null) {
            return;
        }
        OptionalDouble value = Predictions.numeric(row);
        if (value.isPresent() && mode != CompareMode.LABEL && !row.isTextual()) {
            numbers.add(value.getAsDouble());
        } else {
            labels.merge(label(row), 1L, Long::sum);
        }
    }

    private static String snippet(JsonNode node) {
        if (node == null) {
            return "(no row)";
        }
        String text = node.toString();
        return text.length() <= SNIPPET ? text : text.substring(0, SNIPPET) + "…";
    }

    synchronized long requests() {
        return requests;
    }

    synchronized Snapshot snapshot() {
        List<Example> sorted = new ArrayList<>(worst);
        sorted.sort(Comparator.comparingDouble(Example::difference).reversed());
        return new Snapshot(requests, primaryErrors, shadowErrors, compared, rows, agreeing,
                numericRows == 0 ? Double.NaN : differenceSum / numericRows, numericRows == 0 ? Double.NaN : maxDifference,
                toArray(primaryLatencies), toArray(shadowLatencies), distribution(), sorted);
    }

    private Distribution distribution() {
        if (!primaryNumbers.isEmpty() || !shadowNumbers.isEmpty()) {
            return Histograms.shared(toArray(primaryNumbers), toArray(shadowNumbers), 20);
        }
        Map<String, Long> total = new LinkedHashMap<>();
        primaryLabels.forEach((k, v) -> total.merge(k, v, Long::sum));
        shadowLabels.forEach((k, v) -> total.merge(k, v, Long::sum));
        List<String> labels = total.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(20).map(Map.Entry::getKey).collect(Collectors.toList());
        return new Distribution("label", labels, labels.stream().map(l -> primaryLabels.getOrDefault(l, 0L)).toList(),
                labels.stream().map(l -> shadowLabels.getOrDefault(l, 0L)).toList());
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    record Snapshot(long requests, long primaryErrors, long shadowErrors, long compared, long rows, long agreeing,
            double meanDifference, double maxDifference, double[] primaryLatencies, double[] shadowLatencies,
            Distribution distribution, List<Example> worst) {}
}
