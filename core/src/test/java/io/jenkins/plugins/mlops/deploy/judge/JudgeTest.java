package io.jenkins.plugins.mlops.deploy.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JudgeTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = FROM.plusSeconds(60);
    private final Judge judge = new Judge(JudgePolicy.defaults());

    @Test
    void aCandidateLikeStablePassesEveryCriterion() {
        Judgement j = judge.judge(window("stable", 2000, 4, 20, 0.3, 1), window("candidate", 400, 1, 20, 0.3, 2), Map.of());
        assertThat(j.verdict()).isEqualTo(Verdict.PASS);
        assertThat(j.criteria()).extracting(Criterion::name).containsExactly("error_rate", "latency", "prediction_drift");
        assertThat(j.criteria()).allMatch(c -> c.verdict() == Verdict.PASS);
    }

    @Test
    void errorsAboveTheLimitRollBack() {
        Judgement j = judge.judge(window("stable", 2000, 4, 20, 0.3, 1), window("candidate", 400, 40, 20, 0.3, 2), Map.of());
        assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
        Criterion errors = j.criteria().get(0);
        assertThat(errors.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(errors.candidate()).isEqualTo(0.1);
        assertThat(errors.pValue()).isLessThan(1e-6);
    }

    @Test
    void significantlyMoreErrorsThanStableFailsEvenUnderTheLimit() {
        JudgePolicy loose = new JudgePolicy(100, 0.2, 1.2, 0.2, 30, 0.05);
        Judgement j = new Judge(loose).judge(window("stable", 5000, 0, 20, 0.3, 1), window("candidate", 1000, 50, 20, 0.3, 2), Map.of());
        assertThat(j.criteria().get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(j.criteria().get(0).message()).contains("significantly more often");
    }

    @Test
    void bothArmsFailingHoldsRatherThanBlamingTheCandidate() {
        Judgement j = judge.judge(window("stable", 2000, 400, 20, 0.3, 1), window("candidate", 400, 80, 20, 0.3, 2), Map.of());
        assertThat(j.criteria().get(0).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aDeadCandidateStopsEarlyBeforeTheMinimumSample() {
        Judgement j = judge.judge(window("stable", 300, 0, 20, 0.3, 1), window("candidate", 5, 5, 20, 0.3, 2), Map.of());
        assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(j.criteria()).hasSize(1);
        assertThat(j.criteria().get(0).test()).isEqualTo("early stop");
    }

    @Test
    void tooFewRequestsIsInconclusiveNotAPass() {
        Judgement j = judge.judge(window("stable", 1000, 0, 20, 0.3, 1), window("candidate", 50, 0, 20, 0.3, 2), Map.of());
        assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(j.reasons()).anyMatch(r -> r.contains("Too few requests"));
    }

    @Test
    void aSlowerCandidateFailsWithTheHodgesLehmannRatio() {
        Judgement j = judge.judge(window("stable", 1000, 0, 20, 0.3, 1), window("candidate", 1000, 0, 30, 0.3, 2), Map.of());
        Criterion latency = j.criteria().get(1);
        assertThat(latency.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(latency.effect()).isCloseTo(1.5, within(0.05));
        assertThat(latency.low()).isLessThan(latency.effect());
        assertThat(latency.high()).isGreaterThan(latency.effect());
    }

    @Test
    void aSlightlySlowerCandidateWithinTheRatioPasses() {
        Judgement j = judge.judge(window("stable", 1000, 0, 20, 0.3, 1), window("candidate", 1000, 0, 21, 0.3, 2), Map.of());
        Criterion latency = j.criteria().get(1);
        assertThat(latency.pValue()).isLessThan(0.05);
        assertThat(latency.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void hodgesLehmannOfAShiftedCopyIsTheShift() {
        double[] stable = {3, 9, 1, 7, 5, 11};
        double[] candidate = {13, 19, 11, 17, 15, 21};
        assertThat(HodgesLehmann.of(candidate, stable, 0.95).estimate()).isEqualTo(10);
    }

    @Test
    void shiftedPredictionsFailTheDriftCriterion() {
        Judgement j = judge.judge(window("stable", 1000, 0, 20, 0.3, 1), window("candidate", 1000, 0, 20, 0.6, 2), Map.of());
        Criterion drift = j.criteria().get(2);
        assertThat(drift.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(drift.effect()).isGreaterThan(0.5);
    }

    @Test
    void aBackendWithoutPredictionsReportsTheCriterionUnmeasured() {
        VariantWindow s = new VariantWindow("stable", FROM, TO, 1000, 0, latencies(1000, 20, 1), new double[0]);
        VariantWindow c = new VariantWindow("candidate", FROM, TO, 1000, 0, latencies(1000, 20, 2), new double[0]);
        Judgement j = judge.judge(s, c, Map.of());
        assertThat(j.criteria().get(2).verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aBusinessMetricMovingTheWrongWayFails() {
        BusinessMetric conversion = BusinessMetric.parse("conversion:higher=SELECT 1", "--metric");
        double[] stable = bernoulli(2000, 0.30, 3);
        double[] candidate = bernoulli(2000, 0.22, 4);
        Judgement j = judge.judge(window("stable", 2000, 0, 20, 0.3, 1), window("candidate", 2000, 0, 20, 0.3, 2),
                Map.of(conversion, new Judge.MetricValues(stable, candidate)));
        Criterion c = j.criteria().get(3);
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.effect()).isCloseTo(-0.08, within(0.03));
        assertThat(c.high()).isLessThan(0);
        // The same move is fine for a metric where lower is better.
        BusinessMetric refunds = BusinessMetric.parse("refunds:lower=SELECT 1", "--metric");
        assertThat(BusinessMetricCriterion.judge(refunds, stable, candidate, JudgePolicy.defaults()).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void welchIntervalMatchesAHandComputedOne() {
        // a: mean 2, variance 2.5; b: mean 5, variance 2.5; n = 5 each: se = 1, df = 8, t(0.975, 8) = 2.306004
        MeanDifference d = MeanDifference.of(new double[] {0, 1, 2, 3, 4}, new double[] {3, 4, 5, 6, 7}, 0.95);
        assertThat(d.difference()).isEqualTo(3);
        assertThat(d.low()).isCloseTo(3 - 2.306004, within(1e-5));
        assertThat(d.high()).isCloseTo(3 + 2.306004, within(1e-5));
    }

    @Test
    void metricSpecsParseIntoSqlOrPromqlWithADirection() {
        BusinessMetric sql = BusinessMetric.parse("ctr:higher= select outcome from mlops_feedback", "--metric");
        assertThat(sql.language()).isEqualTo(BusinessMetric.Language.SQL);
        assertThat(sql.direction()).isEqualTo(MetricDirection.HIGHER);
        BusinessMetric promql = BusinessMetric.parse("orders=sum(rate(orders_total{variant=\"$variant\"}[1m]))", "--metric");
        assertThat(promql.language()).isEqualTo(BusinessMetric.Language.PROMQL);
        assertThat(promql.direction()).isEqualTo(MetricDirection.EITHER);
        assertThatThrownBy(() -> BusinessMetric.parse("no query", "--metric"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("NAME[:higher|lower|either]=QUERY");
        assertThatThrownBy(() -> BusinessMetric.parse("x:sideways=SELECT 1", "--metric")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> BusinessMetric.parse("x=  ", "--metric")).isInstanceOf(BadInputException.class);
    }

    @Test
    void windowsOverDifferentIntervalsAreRefused() {
        VariantWindow s = window("stable", 10, 0, 20, 0.3, 1);
        VariantWindow c = new VariantWindow("candidate", FROM, TO.plusSeconds(1), 10, 0, new double[0], new double[0]);
        assertThatThrownBy(() -> judge.judge(s, c, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policyRefusesNonsense() {
        assertThatThrownBy(() -> new JudgePolicy(0, 0.01, 1.2, 0.2, 30, 0.05)).hasMessageContaining("--min-requests");
        assertThatThrownBy(() -> new JudgePolicy(10, 1.5, 1.2, 0.2, 30, 0.05)).hasMessageContaining("--max-error-rate");
        assertThatThrownBy(() -> new JudgePolicy(10, 0.01, 0.5, 0.2, 30, 0.05)).hasMessageContaining("--max-latency-ratio");
        assertThatThrownBy(() -> new JudgePolicy(10, 0.01, 1.2, 0, 30, 0.05)).hasMessageContaining("--max-prediction-drift");
    }

    /** A variant's window: log-normal-ish latencies around {@code medianMs}, normal predictions around {@code meanPrediction}. */
    private static VariantWindow window(String variant, long requests, long errors, double medianMs, double meanPrediction, long seed) {
        int n = (int) requests;
        double[] predictions = new double[n];
        SplittableRandom random = new SplittableRandom(seed + 100);
        for (int i = 0; i < n; i++) {
            predictions[i] = meanPrediction + 0.1 * gaussian(random);
        }
        return new VariantWindow(variant, FROM, TO, requests, errors, latencies(n, medianMs, seed), predictions);
    }

    private static double[] latencies(int n, double medianMs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = medianMs * Math.exp(0.2 * gaussian(random));
        }
        return values;
    }

    private static double[] bernoulli(int n, double p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() < p ? 1 : 0;
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
