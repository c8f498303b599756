package io.jenkins.plugins.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each policy rule, the default rule, slices, recorded baselines and the fail-closed cases. */
class ModelGateRulesTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultRuleFailsAWorseCandidateAndPassesABetterOne() {
        GateResult worse = run(regression(1.0, 1.3), policy(""));
        assertThat(worse.decision()).isEqualTo(Decision.FAIL);
        assertThat(worse.primaryMetric()).isEqualTo("rmse");
        assertThat(rule(worse, "not_worse", "rmse").verdict()).isEqualTo(Status.FAIL);
        assertThat(worse.summary()).contains("fails", "not_worse");

        GateResult better = run(regression(1.3, 1.0), policy(""));
        assertThat(better.decision()).isEqualTo(Decision.PASS);
        assertThat(rule(better, "not_worse", "rmse").observed()).isEqualTo(metric(better, "rmse").candidate());
        assertThat(rule(better, "not_worse", "rmse").limit()).isEqualTo(metric(better, "rmse").baseline());
    }

    @Test
    void thresholdIsACeilingForLowerIsBetterAndAFloorOtherwise() {
        Path[] files = regression(1.3, 1.0);
        GateResult ceiling = run(files, policy("metrics:\n  rmse: {threshold: 0.5}\n  r2: {threshold: 0.5}\n"));
        assertThat(rule(ceiling, "threshold", "rmse").verdict()).isEqualTo(Status.FAIL);
        assertThat(rule(ceiling, "threshold", "rmse").comparison()).isEqualTo("<=");
        assertThat(rule(ceiling, "threshold", "r2").verdict()).isEqualTo(Status.PASS);
        assertThat(rule(ceiling, "threshold", "r2").comparison()).isEqualTo(">=");
        assertThat(ceiling.decision()).isEqualTo(Decision.FAIL);

        GateResult loose = run(files, policy("metrics:\n  rmse: {threshold: 2.0}\n"));
        assertThat(rule(loose, "threshold", "rmse").verdict()).isEqualTo(Status.PASS);
        assertThat(loose.decision()).isEqualTo(Decision.PASS);
    }

    @Test
    void minimumChangesDemandAnImprovementOfThatSize() {
        Path[] files = regression(1.3, 1.0);
        GateResult result = run(files, policy("metrics:\n  rmse: {min_absolute_change: 0.1, min_relative_change: 0.5}\n"));
        MetricComparison rmse = metric(result, "rmse");
        RuleVerdict absolute = rule(result, "min_absolute_change", "rmse");
        assertThat(absolute.limit()).isCloseTo(rmse.baseline() - 0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(absolute.verdict()).isEqualTo(Status.PASS);
        RuleVerdict relative = rule(result, "min_relative_change", "rmse");
        assertThat(relative.limit()).isCloseTo(rmse.baseline() * 0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(relative.verdict()).isEqualTo(Status.FAIL);
        // A comparing rule on the primary metric replaces the default rule.
        assertThat(result.rules()).noneMatch(r -> r.rule().equals("not_worse"));

        GateResult tolerated = run(regression(1.0, 1.05), policy("metrics:\n  rmse: {min_absolute_change: -0.2}\n"));
        assertThat(tolerated.decision()).as("a negative change tolerates a small regression").isEqualTo(Decision.PASS);
    }

    @Test
    void greaterIsBetterCanBeOverridden() {
        Path[] files = regression(1.3, 1.0);
        GateResult flipped = run(files, policy("metrics:\n  rmse: {greater_is_better: true}\n"));
        assertThat(rule(flipped, "not_worse", "rmse").verdict()).isEqualTo(Status.FAIL);
        assertThat(metric(flipped, "rmse").greaterIsBetter()).isTrue();
    }

    @Test
    void theSignificanceRuleTellsNoiseFromRegression() {
        // Same noise level: the candidate differs from the baseline by noise only.
        Path[] noise = regression(1.0, 1.0);
        GateResult tolerant = run(noise, policy("metrics:\n  rmse: {max_regression: 0.2}\n"));
        RuleVerdict verdict = rule(tolerant, "max_regression", "rmse");
        assertThat(verdict.verdict()).isEqualTo(Status.PASS);
        assertThat(verdict.comparison()).isEqualTo("<");
        assertThat(verdict.observed()).isEqualTo(metric(tolerant, "rmse").ciHigh());
        assertThat(tolerant.decision()).isEqualTo(Decision.PASS);

        GateResult strict = run(noise, policy("metrics:\n  rmse: {max_regression: 0.0}\n"));
        assertThat(rule(strict, "max_regression", "rmse").verdict())
                .as("an interval that straddles zero does not exclude a regression").isEqualTo(Status.FAIL);

        GateResult regressed = run(regression(1.0, 1.6), policy("metrics:\n  rmse: {max_regression: 0.05}\n"));
        assertThat(rule(regressed, "max_regression", "rmse").verdict()).isEqualTo(Status.FAIL);
        MetricComparison rmse = metric(regressed, "rmse");
        assertThat(rmse.ciLow()).isLessThan(rmse.difference()).isPositive();
        assertThat(rmse.ciHigh()).isGreaterThan(rmse.difference());
    }

    @Test
    void noSignificantRegressionFailsOnlyACandidateTheDataShowWorse() {
        String safe = "metrics:\n  rmse: {no_significant_regression: true}\n";
        GateResult noise = run(regression(1.0, 1.0), policy(safe));
        RuleVerdict straddles = rule(noise, "no_significant_regression", "rmse");
        assertThat(straddles.verdict()).as("an interval across zero is noise").isEqualTo(Status.PASS);
        assertThat(straddles.comparison()).isEqualTo("<=");
        assertThat(straddles.limit()).isZero();
        assertThat(straddles.observed()).as("the better end of a lower-is-better interval").isEqualTo(metric(noise, "rmse").ciLow());
        assertThat(noise.rules()).extracting(RuleVerdict::rule).as("it replaces the default rule").doesNotContain("not_worse");
        assertThat(noise.decision()).isEqualTo(Decision.PASS);

        GateResult worse = run(regression(1.0, 1.3), policy(safe));
        MetricComparison rmse = metric(worse, "rmse");
        assertThat(rmse.ciLow()).as("the whole interval on the worse side").isPositive();
        RuleVerdict fails = rule(worse, "no_significant_regression", "rmse");
        assertThat(fails.verdict()).isEqualTo(Status.FAIL);
        assertThat(fails.message()).contains("significantly worse");
        assertThat(worse.decision()).isEqualTo(Decision.FAIL);

        GateResult better = run(regression(1.3, 1.0), policy(safe));
        assertThat(rule(better, "no_significant_regression", "rmse").verdict()).isEqualTo(Status.PASS);
        assertThat(better.decision()).isEqualTo(Decision.PASS);

        // The same regression that a margin tolerates: the two readings differ exactly here.
        GateResult margin = run(regression(1.0, 1.3), policy("metrics:\n  rmse: {max_regression: 1.0}\n"));
        assertThat(rule(margin, "max_regression", "rmse").verdict()).isEqualTo(Status.PASS);
    }

    @Test
    void theSameSeedGivesTheSameIntervalsAndAnotherSeedOthers() {
        Path[] files = regression(1.0, 1.1);
        GateConfig.Builder config = builder(files).resamples(300);
        MetricComparison first = metric(ModelGate.run(config.seed(7).build(), line -> { }), "rmse");
        MetricComparison again = metric(ModelGate.run(config.seed(7).build(), line -> { }), "rmse");
        MetricComparison other = metric(ModelGate.run(config.seed(8).build(), line -> { }), "rmse");
        assertThat(again).isEqualTo(first);
        assertThat(other.ciLow()).isNotEqualTo(first.ciLow());
        assertThat(other.candidate()).isEqualTo(first.candidate());
    }

    @Test
    void sliceRulesJudgeSlicesLargeEnoughAndReportTheRest() {
        GateResult result = run(regression(1.0, 1.0, 1.0), policy("""
                slices:
                  columns: [region]
                  min_size: 150
                  metrics:
                    mae: {min_absolute_change: -0.2}
                """));
        assertThat(result.slices()).extracting(SliceComparison::value).containsExactlyInAnyOrder("small", "eu", "us");
        SliceComparison us = slice(result, "us");
        SliceComparison eu = slice(result, "eu");
        assertThat(us.judged()).isTrue();
        assertThat(us.status()).as("the candidate is biased by 1 on us").isEqualTo(Status.FAIL);
        assertThat(eu.status()).isEqualTo(Status.PASS);
        assertThat(slice(result, "small").judged()).as("100 rows < min_size 150").isFalse();
        assertThat(result.rules()).filteredOn(r -> "region=us".equals(r.slice())).singleElement()
                .satisfies(r -> assertThat(r.verdict()).isEqualTo(Status.FAIL));
        assertThat(result.checks()).extracting(Check::column).contains("mae[region=us]");
        assertThat(result.decision()).isEqualTo(Decision.FAIL);
    }

    @Test
    void aRecordedBaselineIsComparedByPointValuesAndSaysItIsWeaker() {
        Path[] files = regression(1.0, 1.0);
        RecordedBaseline recorded = new RecordedBaseline(Map.of(Metric.RMSE, 1.2, Metric.MAE, 0.5), "models:/demand@champion");
        GateResult result = ModelGate.run(GateConfig.builder(recorded, files[1].toString(), "y", "pred")
                .policy(policy("metrics:\n  rmse: {max_regression: 0.1}\n  mae: {threshold: 2}\n  r2: {min_absolute_change: 0}\n"))
                .build(), line -> { });

        MetricComparison rmse = metric(result, "rmse");
        assertThat(rmse.baseline()).isEqualTo(1.2);
        assertThat(rmse.ciLow()).isNull();
        assertThat(rmse.note()).contains("no interval");
        assertThat(result.baselineSource().paired()).isFalse();
        assertThat(result.baselineSource().note()).contains("weaker");
        assertThat(result.bootstrap()).isNull();
        assertThat(result.checks()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("baseline_source");
            assertThat(c.status()).isEqualTo(Status.WARN);
        });
        assertThat(rule(result, "max_regression", "rmse").verdict()).isEqualTo(Status.PASS);
        assertThat(rule(result, "max_regression", "rmse").message()).contains("point values only", "weaker");
        RuleVerdict r2 = rule(result, "min_absolute_change", "r2");
        assertThat(r2.verdict()).as("r2 was never recorded").isEqualTo(Status.ERROR);
        assertThat(r2.message()).contains("recorded baseline has no r2");
        assertThat(result.decision()).isEqualTo(Decision.FAIL);

        GateResult passing = ModelGate.run(GateConfig.builder(recorded, files[1].toString(), "y", "pred")
                .metrics(List.of(Metric.RMSE)).build(), line -> { });
        assertThat(passing.decision()).isEqualTo(Decision.PASS);

        // Without an interval the safe rule cannot tell noise from a regression: any regression fails.
        GateResult pointOnly = ModelGate.run(GateConfig.builder(new RecordedBaseline(Map.of(Metric.RMSE, 0.9), "models:/demand@champion"),
                files[1].toString(), "y", "pred").policy(policy("metrics:\n  rmse: {no_significant_regression: true}\n")).build(), line -> { });
        RuleVerdict safe = rule(pointOnly, "no_significant_regression", "rmse");
        assertThat(safe.verdict()).isEqualTo(Status.FAIL);
        assertThat(safe.message()).contains("point values only", "any regression counts");
        assertThat(passing.summary()).contains("passes", "recorded metrics", "weaker");
    }

    @Test
    void recordedMetricsAreReadUnderTheirMlflowNames() throws Exception {
        Path file = dir.resolve("champion.json");
        java.nio.file.Files.writeString(file, "{\"f1_score\": 0.7, \"roc_auc\": 0.9, \"example_count\": 1000}");
        RecordedBaseline recorded = RecordedBaseline.read(file);
        assertThat(recorded.metrics()).containsExactly(Map.entry(Metric.F1, 0.7), Map.entry(Metric.ROC_AUC, 0.9));

        java.nio.file.Files.writeString(file, "{\"roc_auc\": \"high\"}");
        assertThatThrownBy(() -> RecordedBaseline.read(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("roc_auc").hasMessageContaining("finite number");
        java.nio.file.Files.writeString(file, "[0.9]");
        assertThatThrownBy(() -> RecordedBaseline.read(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("JSON object");
    }

    @Test
    void aMetricThatCannotBeComputedFailsTheGateClosed() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,pred,proba", List.of("0,0,0.1", "0,1,0.7", "0,0,0.2"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "y,pred,proba", List.of("0,0,0.3", "0,0,0.1", "0,0,0.2"));
        GateResult result = ModelGate.run(GateConfig.builder(new BaselinePredictions(base.toString()), cand.toString(), "y", "pred")
                .score("proba").metrics(List.of(Metric.ROC_AUC)).build(), line -> { });
        assertThat(result.decision()).isEqualTo(Decision.FAIL);
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.summary()).contains("fails closed", "only one class");
    }

    @Test
    void scoreMetricsWithoutAScoreColumnAndProbabilitiesOutOfRangeFailClosed() {
        Path[] files = PredictionFiles.binary(dir, 300, 0.5, 0.6, 3);
        GateResult noScore = ModelGate.run(binaryBuilder(files).score(null)
                .metrics(List.of(Metric.ACCURACY, Metric.ROC_AUC)).build(), line -> { });
        assertThat(noScore.decision()).isEqualTo(Decision.FAIL);
        assertThat(noScore.checks()).anySatisfy(c -> {
            assertThat(c.column()).isEqualTo("roc_auc");
            assertThat(c.status()).isEqualTo(Status.ERROR);
            assertThat(c.message()).contains("needs a score column");
        });

        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,pred,logit", List.of("0,0,-1.5", "1,1,2.0", "0,1,0.5", "1,0,-0.1"));
        GateResult logits = ModelGate.run(GateConfig.builder(new BaselinePredictions(base.toString()), base.toString(), "y", "pred")
                .score("logit").metrics(List.of(Metric.LOG_LOSS)).build(), line -> { });
        assertThat(logits.decision()).isEqualTo(Decision.FAIL);
        assertThat(logits.summary()).contains("outside [0, 1]");
    }

    @Test
    void defaultMetricsThatAreUndefinedOnlyWarn() {
        // Nobody predicts the positive class: precision is undefined, but accuracy (primary) decides.
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,pred", List.of("0,0", "1,0", "0,0", "1,0"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "y,pred", List.of("0,0", "1,0", "0,0", "1,0"));
        GateResult result = ModelGate.run(GateConfig.builder(new BaselinePredictions(base.toString()), cand.toString(), "y", "pred")
                .task(Task.CLASSIFICATION).build(), line -> { });
        assertThat(result.primaryMetric()).isEqualTo("accuracy");
        assertThat(result.decision()).isEqualTo(Decision.PASS);
        assertThat(result.checks()).anySatisfy(c -> {
            assertThat(c.column()).isEqualTo("precision");
            assertThat(c.status()).isEqualTo(Status.WARN);
        });
    }

    @Test
    void classificationDefaultsToRocAucWithAScoreAndGatesOnIt() {
        GateResult better = ModelGate.run(binaryBuilder(PredictionFiles.binary(dir, 2000, 0.4, 0.8, 11)).build(), line -> { });
        assertThat(better.task()).isEqualTo("classification");
        assertThat(better.primaryMetric()).isEqualTo("roc_auc");
        assertThat(better.metrics()).extracting(MetricComparison::name)
                .containsExactly("roc_auc", "accuracy", "precision", "recall", "f1", "pr_auc", "log_loss", "brier");
        assertThat(better.decision()).isEqualTo(Decision.PASS);
        assertThat(metric(better, "roc_auc").ciLow()).isPositive();
    }

    @Test
    void configAndResultSurviveJavaSerialisationAsOnAJenkinsAgent() throws Exception {
        Path[] files = regression(1.0, 1.0);
        GateConfig config = builder(files).policy(policy("metrics:\n  rmse: {max_regression: 0.1}\nslices: {columns: [region]}\n"))
                .build();
        GateResult result = ModelGate.run(config, line -> { });
        assertThat(roundTrip(config)).isEqualTo(config);
        assertThat(roundTrip(result)).isEqualTo(result);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void metricsOfTheOtherTaskAreBadInput() {
        Path[] files = regression(1.0, 1.0);
        assertThatThrownBy(() -> builder(files).metrics(List.of(Metric.RMSE, Metric.ACCURACY)).build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("accuracy is for classification");
        assertThatThrownBy(() -> builder(files).task(Task.CLASSIFICATION).metrics(List.of(Metric.MAE)).build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("--task is classification");
        assertThatThrownBy(() -> builder(files).resamples(10).build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("resamples");
        assertThatThrownBy(() -> builder(files).confidence(1.5).build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("confidence");
    }

    private Path[] regression(double baselineNoise, double candidateNoise) {
        return regression(baselineNoise, candidateNoise, 0);
    }

    private Path[] regression(double baselineNoise, double candidateNoise, double usBias) {
        return PredictionFiles.regression(dir.resolve(baselineNoise + "-" + candidateNoise + "-" + usBias), 1000,
                baselineNoise, candidateNoise, usBias, 17, true);
    }

    private GateResult run(Path[] files, GatePolicy policy) {
        return ModelGate.run(builder(files).policy(policy).build(), line -> { });
    }

    private static GateConfig.Builder builder(Path[] files) {
        return GateConfig.builder(new BaselinePredictions(files[0].toString()), files[1].toString(), "y", "pred")
                .id("id").resamples(300);
    }

    private static GateConfig.Builder binaryBuilder(Path[] files) {
        return GateConfig.builder(new BaselinePredictions(files[0].toString()), files[1].toString(), "y", "pred")
                .id("id").score("proba").resamples(200);
    }

    private static GatePolicy policy(String yaml) {
        return yaml.isEmpty() ? GatePolicy.defaults() : PolicyParser.parse(yaml, "test-policy.yaml");
    }

    private static RuleVerdict rule(GateResult result, String rule, String metric) {
        return result.rules().stream().filter(r -> r.rule().equals(rule) && r.metric().equals(metric) && r.slice() == null)
                .findFirst().orElseThrow(() -> new AssertionError("no rule " + rule + " on " + metric + " in " + result.rules()));
    }

    private static MetricComparison metric(GateResult result, String name) {
        return result.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static SliceComparison slice(GateResult result, String value) {
        return result.slices().stream().filter(s -> s.value().equals(value)).findFirst().orElseThrow();
    }
}
