package io.jenkins.plugins.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy file is read strictly: every mistake is bad input that names the file and the field. */
class PolicyParserTest {

    @Test
    void readsEveryRule() {
        GatePolicy policy = PolicyParser.parse("""
                primary_metric: roc_auc
                metrics:
                  roc_auc: {threshold: 0.8, max_regression: 0.005}
                  log_loss:
                    min_absolute_change: -0.01
                    min_relative_change: 0.02
                  brier: {greater_is_better: true}
                  f1: {no_significant_regression: true}
                  accuracy: {no_significant_regression: false}
                slices:
                  columns: [region, device]
                  min_size: 250
                  metrics:
                    roc_auc: {threshold: 0.75, min_absolute_change: -0.02}
                """, "policy.yaml");

        assertThat(policy.primaryMetric()).isEqualTo(Metric.ROC_AUC);
        assertThat(policy.rules().keySet()).containsExactly(Metric.ROC_AUC, Metric.LOG_LOSS, Metric.BRIER, Metric.F1,
                Metric.ACCURACY);
        assertThat(policy.ruleFor(Metric.ROC_AUC)).isEqualTo(new MetricRule(0.8, null, null, null, 0.005, false));
        assertThat(policy.ruleFor(Metric.LOG_LOSS)).isEqualTo(new MetricRule(null, -0.01, 0.02, null, null, false));
        assertThat(policy.ruleFor(Metric.F1)).isEqualTo(new MetricRule(null, null, null, null, null, true));
        assertThat(policy.ruleFor(Metric.F1).comparesWithBaseline()).isTrue();
        assertThat(policy.ruleFor(Metric.ACCURACY).comparesWithBaseline()).as("false is the rule not set").isFalse();
        assertThat(policy.greaterIsBetter(Metric.BRIER)).isTrue();
        assertThat(policy.greaterIsBetter(Metric.LOG_LOSS)).isFalse();
        assertThat(policy.slices().columns()).containsExactly("region", "device");
        assertThat(policy.slices().minSize()).isEqualTo(250);
        assertThat(policy.slices().rules().get(Metric.ROC_AUC).minAbsoluteChange()).isEqualTo(-0.02);
    }

    @Test
    void anUnknownKeyIsNamedWithItsPath() {
        assertBad("metrics:\n  roc_auc: {treshold: 0.8}\n", "metrics.roc_auc.treshold", "unknown field", "threshold");
        assertBad("primary: rmse\n", "primary", "unknown field", "primary_metric");
        assertBad("slices: {min_rows: 5}\n", "slices.min_rows", "unknown field");
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        assertBad("metrics:\n  rmse: {threshold: high}\n", "metrics.rmse.threshold", "must be a number", "'high'");
        assertBad("metrics:\n  rmse: {greater_is_better: 1}\n", "metrics.rmse.greater_is_better", "true or false");
        assertBad("metrics:\n  rmse: {no_significant_regression: 'yes'}\n", "metrics.rmse.no_significant_regression",
                "true or false", "'yes'");
        assertBad("slices: {min_size: 2.5}\n", "slices.min_size", "whole number");
        assertBad("slices: {columns: region}\n", "slices.columns", "list");
        assertBad("metrics: [rmse]\n", "metrics", "mapping");
        assertBad("primary_metric: [rmse]\n", "primary_metric", "must be a name");
    }

    @Test
    void unknownMetricsAndImpossibleRulesAreRefused() {
        assertBad("metrics:\n  auc: {threshold: 0.8}\n", "metrics.auc", "unknown metric 'auc'", "roc_auc");
        assertBad("primary_metric: accuracy_score\n", "primary_metric", "unknown metric");
        assertBad("metrics:\n  rmse: {max_regression: -1}\n", "metrics.rmse.max_regression", ">= 0");
        assertBad("slices:\n  metrics:\n    rmse: {max_regression: 0.1}\n", "slices.metrics.rmse.max_regression",
                "whole hold-out set");
        assertBad("slices:\n  metrics:\n    rmse: {no_significant_regression: true}\n",
                "slices.metrics.rmse.no_significant_regression", "whole hold-out set");
        assertBad("slices: {min_size: 0}\n", "min_size", "at least 1");
    }

    @Test
    void emptyMalformedAndDuplicatedDocumentsAreRefused() {
        assertBad("", "empty");
        assertBad("metrics: {rmse: {threshold: 1}\n", "not valid YAML");
        assertBad("metrics:\n  rmse: {threshold: 1}\n  rmse: {threshold: 2}\n", "not valid YAML", "rmse");
        assertBad("- rmse\n", "the top level", "mapping");
    }

    @Test
    void aMissingPolicyFileIsBadInput() {
        assertThatThrownBy(() -> PolicyParser.parse(Path.of("no/such/policy.yaml")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no/such/policy.yaml").hasMessageContaining("not found");
    }

    private static void assertBad(String yaml, String... fragments) {
        assertThatThrownBy(() -> PolicyParser.parse(yaml, "gate-policy.yaml"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("gate-policy.yaml: ")
                .message().contains(List.of(fragments));
    }
}
