package io.jenkins.plugins.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric, read through the gate's file path and computed by the gate, against the real
 * scikit-learn 1.9 on the same files: random data, ties in the scores, scores of exactly 0 and 1
 * (log-loss clipping), zero labels (mape's epsilon), string classes, and undefined cases. The
 * weighted values check that one bootstrap resample (rows weighted by draw counts) is exactly the
 * metric scikit-learn gives the same weights.
 */
class MetricsMatchScikitLearnTest {
    private static final double RELATIVE = 1e-9;

    @TempDir
    static Path work;

    private static final Map<String, Case> CASES = new LinkedHashMap<>();
    private static JsonNode reference;

    /** One generated data set: the columns both files share, and how the gate should read them. */
    record Case(String name, Task task, boolean numeric, String positive, int rows, IntFunction<Object> label,
            IntFunction<Object> baselinePrediction, IntFunction<Object> candidatePrediction,
            IntFunction<Object> baselineScore, IntFunction<Object> candidateScore) {}

    @BeforeAll
    static void computeReference() throws Exception {
        ScikitLearn.python();
        Random random = new Random(20261126);
        int n = 3000;
        double[] y = new double[n];
        double[] base = new double[n];
        double[] cand = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 50 == 0 ? 0 : Math.round((random.nextGaussian() * 12 + 30) * 100) / 100.0;
            base[i] = y[i] + random.nextGaussian() * 4;
            cand[i] = y[i] + random.nextGaussian() * 3;
        }
        add(new Case("regression", Task.REGRESSION, true, "1", n, i -> y[i], i -> base[i], i -> cand[i], null, null));

        int[] label = new int[n];
        double[] scoreBase = new double[n];
        double[] scoreCand = new double[n];
        for (int i = 0; i < n; i++) {
            label[i] = random.nextDouble() < 0.3 ? 1 : 0;
            // Two decimals make many ties; a few exact 0 and 1 exercise the log-loss clip.
            scoreBase[i] = clamp(Math.round((0.3 + 0.25 * (label[i] - 0.3) + random.nextGaussian() * 0.25) * 100) / 100.0);
            scoreCand[i] = clamp(Math.round((0.3 + 0.35 * (label[i] - 0.3) + random.nextGaussian() * 0.22) * 100) / 100.0);
        }
        add(new Case("binary_ties", Task.CLASSIFICATION, true, "1", n, i -> label[i],
                i -> scoreBase[i] >= 0.5 ? 1 : 0, i -> scoreCand[i] >= 0.4 ? 1 : 0,
                i -> scoreBase[i], i -> scoreCand[i]));
        add(new Case("string_classes", Task.CLASSIFICATION, false, "churn", 1000, i -> label[i] == 1 ? "churn" : "stay",
                i -> scoreBase[i] >= 0.5 ? "churn" : "stay", i -> scoreCand[i] >= 0.35 ? "churn" : "stay",
                i -> scoreBase[i], i -> scoreCand[i]));
        add(new Case("all_scores_tied", Task.CLASSIFICATION, true, "1", 9, i -> i % 3 == 0 ? 1 : 0,
                i -> 1, i -> i % 2, i -> 0.5, i -> 0.5));
        add(new Case("multiclass", Task.CLASSIFICATION, true, "1", 600, i -> i % 3, i -> (i / 3) % 3, i -> i % 3 == 2 ? 1 : i % 3,
                null, null));
        add(new Case("one_class", Task.CLASSIFICATION, true, "1", 40, i -> 0, i -> i % 4 == 0 ? 1 : 0, i -> 0,
                i -> (i % 10) / 10.0, i -> (i % 7) / 7.0));

        List<Path> caseFiles = new ArrayList<>();
        for (Case c : CASES.values()) {
            caseFiles.add(writeCase(c));
        }
        reference = ScikitLearn.reference(work, caseFiles);
    }

    @Test
    void regressionMetricsMatch() {
        assertCaseMatches("regression");
    }

    @Test
    void binaryMetricsWithTiedAndExtremeScoresMatch() {
        assertCaseMatches("binary_ties");
    }

    @Test
    void stringClassesWithANamedPositiveClassMatch() {
        assertCaseMatches("string_classes");
    }

    @Test
    void allScoresTiedGiveHalfAucAsScikitLearnDoes() {
        GateResult result = assertCaseMatches("all_scores_tied");
        assertThat(metric(result, "roc_auc").candidate()).isEqualTo(0.5);
    }

    @Test
    void multiclassAccuracyMatchesAndBinaryMetricsAreRefused() {
        GateResult result = assertCaseMatches("multiclass");
        assertThat(metric(result, "f1").candidate()).isNull();
        assertThat(metric(result, "f1").note()).contains("3 classes", "use accuracy");
    }

    @Test
    void undefinedMetricsAreUndefinedForBoth() {
        GateResult result = assertCaseMatches("one_class");
        assertThat(metric(result, "roc_auc").candidate()).isNull();
        assertThat(metric(result, "roc_auc").note()).contains("only one class");
    }

    private static GateResult assertCaseMatches(String name) {
        Case c = CASES.get(name);
        List<Metric> metrics = Arrays.stream(Metric.values())
                .filter(m -> m.task() == c.task() && (c.baselineScore() != null || !m.needsScore())).toList();
        GateConfig config = config(c, metrics);
        GateResult result = ModelGate.run(config, line -> { });
        JsonNode expected = reference.get(name);
        for (Metric metric : metrics) {
            MetricComparison actual = metric(result, metric.id());
            assertClose(name + " baseline " + metric, actual.baseline(), expected.get("base").get(metric.id()));
            assertClose(name + " candidate " + metric, actual.candidate(), expected.get("cand").get(metric.id()));
        }
        HoldOut holdOut = new HoldOutReader(config, line -> { }).read();
        double[] weighted = holdOut.evaluator(holdOut.candidate(), metrics).evaluate(weights(c.rows()));
        for (int m = 0; m < metrics.size(); m++) {
            Double value = Double.isFinite(weighted[m]) ? weighted[m] : null;
            assertClose(name + " weighted candidate " + metrics.get(m), value,
                    expected.get("cand_weighted").get(metrics.get(m).id()));
        }
        return result;
    }

    private static void assertClose(String what, Double actual, JsonNode expected) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).as(what + " (undefined in scikit-learn)").isNull();
            return;
        }
        double want = expected.doubleValue();
        assertThat(actual).as(what).isNotNull();
        assertThat(Math.abs(actual - want)).as(what + ": gate " + actual + " vs scikit-learn " + want)
                .isLessThanOrEqualTo(RELATIVE * Math.abs(want) + 1e-15);
    }

    private static MetricComparison metric(GateResult result, String name) {
        return result.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static int[] weights(int rows) {
        int[] counts = new int[rows];
        PairedBootstrap.draw(counts, 7, 3);
        return counts;
    }

    private static GateConfig config(Case c, List<Metric> metrics) {
        Path dir = work.resolve(c.name());
        return GateConfig.builder(new BaselinePredictions(dir.resolve("baseline.csv").toString()),
                        dir.resolve("candidate.csv").toString(), "y", "pred")
                .score(c.baselineScore() == null ? null : "score")
                .task(c.task()).metrics(metrics).positiveClass(c.positive()).resamples(100).build();
    }

    private static void add(Case c) {
        CASES.put(c.name(), c);
    }

    private static Path writeCase(Case c) throws Exception {
        Path dir = Files.createDirectories(work.resolve(c.name()));
        boolean scored = c.baselineScore() != null;
        int[] w = weights(c.rows());
        StringBuilder combined = new StringBuilder("y,p_base,p_cand,w" + (scored ? ",s_base,s_cand" : "") + "\n");
        StringBuilder baseline = new StringBuilder("y,pred" + (scored ? ",score" : "") + "\n");
        StringBuilder candidate = new StringBuilder("y,pred" + (scored ? ",score" : "") + "\n");
        for (int i = 0; i < c.rows(); i++) {
            String y = text(c.label().apply(i));
            combined.append(y).append(',').append(text(c.baselinePrediction().apply(i))).append(',')
                    .append(text(c.candidatePrediction().apply(i))).append(',').append(w[i]);
            baseline.append(y).append(',').append(text(c.baselinePrediction().apply(i)));
            candidate.append(y).append(',').append(text(c.candidatePrediction().apply(i)));
            if (scored) {
                combined.append(',').append(text(c.baselineScore().apply(i))).append(',').append(text(c.candidateScore().apply(i)));
                baseline.append(',').append(text(c.baselineScore().apply(i)));
                candidate.append(',').append(text(c.candidateScore().apply(i)));
            }
            combined.append('\n');
            baseline.append('\n');
            candidate.append('\n');
        }
        Files.writeString(dir.resolve("reference.csv"), combined);
        Files.writeString(dir.resolve("baseline.csv"), baseline);
        Files.writeString(dir.resolve("candidate.csv"), candidate);
        Path caseFile = dir.resolve("case.json");
        Files.writeString(caseFile, Json.write(Map.of("name", c.name(), "csv", dir.resolve("reference.csv").toString(),
                "task", c.task().id(), "numeric", c.numeric(), "positive", c.positive())));
        return caseFile;
    }

    private static String text(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.17g", d) : String.valueOf(value);
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
