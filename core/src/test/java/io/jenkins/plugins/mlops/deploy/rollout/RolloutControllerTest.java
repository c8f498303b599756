package io.jenkins.plugins.mlops.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The controller's decisions over a backend whose arms serve a scripted traffic of 20 requests a
 * second split by the weight; the judge underneath is the real one. The real-process faults are
 * in the command line's canary tests.
 */
class RolloutControllerTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void aHealthyCandidateIsPromotedStepByStep() {
        ScriptedBackend backend = new ScriptedBackend(0, 0.0, 50);
        CanaryResult result = run(backend, config(List.of(5, 25, 50, 100)));
        assertThat(result.outcome()).isEqualTo(CanaryResult.PROMOTED);
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(backend.weightsSet).containsExactly(5, 25, 50, 100);
        assertThat(result.finalWeight()).isEqualTo(100);
        assertThat(result.timeline()).filteredOn(e -> e.decision() == Decision.ADVANCE).extracting(Evaluation::weight)
                .containsExactly(5, 25, 50);
        assertThat(result.checks()).extracting(c -> c.column()).contains("step 5%", "step 25%", "step 50%");
        assertThat(result.resumedAt()).isNull();
    }

    @Test
    void aFailingCandidateIsRolledBackAtTheFirstLookThatSeesIt() {
        ScriptedBackend backend = new ScriptedBackend(0, 0.0, 50);
        backend.candidateErrorRateFromWeight = 25;
        backend.failingCandidateErrorRate = 0.3;
        CanaryResult result = run(backend, config(List.of(5, 25, 50, 100)));
        assertThat(result.outcome()).isEqualTo(CanaryResult.ROLLED_BACK);
        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(backend.weightsSet).containsExactly(5, 25, 0);
        assertThat(result.finalWeight()).isZero();
        Evaluation last = result.timeline().get(result.timeline().size() - 1);
        assertThat(last.decision()).isEqualTo(Decision.ROLLBACK);
        // Rolled back within the step, not at its end: the failure is seen at the first look.
        assertThat(last.stepElapsedS()).isLessThan(result.stepDurationS());
        assertThat(result.summary()).contains("error_rate");
    }

    @Test
    void tooLittleTrafficFailsClosedAfterTheBoundedWait() {
        ScriptedBackend backend = new ScriptedBackend(0, 0.0, 1); // 1 request a second: 5% never reaches 100
        CanaryResult result = run(backend, config(List.of(5, 100)));
        assertThat(result.outcome()).isEqualTo(CanaryResult.ROLLED_BACK);
        Evaluation last = result.timeline().get(result.timeline().size() - 1);
        assertThat(last.stepElapsedS()).isEqualTo(90); // 60 s step + 30 s wait
        assertThat(last.reasons().get(0)).contains("fails closed");
        assertThat(result.timeline()).anyMatch(e -> e.decision() == Decision.HOLD);
    }

    @Test
    void aRolloutResumesAtTheWeightTheBackendHolds() {
        ScriptedBackend backend = new ScriptedBackend(25, 0.0, 50);
        CanaryResult result = run(backend, config(List.of(5, 25, 50, 100)));
        assertThat(result.resumedAt()).isEqualTo(25);
        assertThat(backend.weightsSet).containsExactly(25, 50, 100);
        assertThat(result.outcome()).isEqualTo(CanaryResult.PROMOTED);
    }

    @Test
    void aBackendThatStopsAnsweringHoldsThenRollsBack() {
        ScriptedBackend backend = new ScriptedBackend(0, 0.0, 50);
        backend.observeFailsFrom = 1;
        CanaryResult result = run(backend, config(List.of(50, 100)));
        assertThat(result.outcome()).isEqualTo(CanaryResult.ROLLED_BACK);
        assertThat(result.checks()).anyMatch(c -> c.name().equals("backend") && c.status() == Status.ERROR);
        assertThat(backend.weightsSet).containsExactly(50, 0);
    }

    @Test
    void businessMetricsAreReadForBothArmsOverTheJudgedWindow() {
        ScriptedBackend backend = new ScriptedBackend(0, 0.0, 50);
        List<String> reads = new ArrayList<>();
        MetricReader reader = (metric, variant, from, to) -> {
            reads.add(variant + " " + Duration.between(from, to).toSeconds());
            return variant.equals(TrafficBackend.STABLE) ? constant(200, 1.0) : constant(200, 0.0);
        };
        CanaryConfig config = new CanaryConfig(List.of(50, 100), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(30), JudgePolicy.defaults(), List.of(BusinessMetric.parse("ctr:higher=SELECT 1", "--metric")));
        CanaryResult result = new RolloutController(backend, reader, clock, clock, m -> {}).run(config);
        assertThat(result.outcome()).isEqualTo(CanaryResult.ROLLED_BACK);
        assertThat(result.summary()).contains("ctr");
        assertThat(reads).contains("stable 10", "candidate 10");
    }

    @Test
    void stepsMustIncreaseAndEndInAPromotion() {
        assertThatThrownBy(() -> config(List.of(50, 25))).isInstanceOf(BadInputException.class).hasMessageContaining("--steps");
        assertThatThrownBy(() -> config(List.of(0, 50))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> config(List.of(5, 120))).isInstanceOf(BadInputException.class);
        assertThat(config(List.of(10, 50)).steps()).containsExactly(10, 50, 100);
    }

    private CanaryResult run(TrafficBackend backend, CanaryConfig config) {
        return new RolloutController(backend, MetricReader.NONE, clock, clock, m -> {}).run(config);
    }

    private static CanaryConfig config(List<Integer> steps) {
        return new CanaryConfig(steps, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30),
                JudgePolicy.defaults(), List.of());
    }

    private static double[] constant(int n, double value) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, value);
        return values;
    }

    /** Arms that serve {@code rps} requests a second split by the weight, with ~20 ms latencies. */
    private static final class ScriptedBackend implements TrafficBackend {
        final List<Integer> weightsSet = new ArrayList<>();
        final double rps;
        final double stableErrorRate;
        int weight;
        int candidateErrorRateFromWeight = 101;
        double failingCandidateErrorRate;
        int observeFailsFrom = Integer.MAX_VALUE;
        int observations;

        ScriptedBackend(int weight, double stableErrorRate, double rps) {
            this.weight = weight;
            this.stableErrorRate = stableErrorRate;
            this.rps = rps;
        }

        @Override
        public void setCandidateWeight(int candidatePercent) {
            weightsSet.add(candidatePercent);
            weight = candidatePercent;
        }

        @Override
        public int candidateWeight() {
            return weight;
        }

        @Override
        public VariantWindow observe(String variant, Instant from, Instant to) {
            if (++observations > 2L * observeFailsFrom) {
                throw new InfrastructureException("connection refused");
            }
            boolean candidate = variant.equals(CANDIDATE);
            double share = (candidate ? weight : 100 - weight) / 100.0;
            int n = (int) (rps * share * Duration.between(from, to).toSeconds());
            double errorRate = candidate && weight >= candidateErrorRateFromWeight ? failingCandidateErrorRate : stableErrorRate;
            SplittableRandom random = new SplittableRandom(observations);
            double[] latencies = new double[n];
            double[] predictions = new double[n];
            for (int i = 0; i < n; i++) {
                latencies[i] = 20 + random.nextDouble() * 5;
                predictions[i] = random.nextDouble();
            }
            return new VariantWindow(variant, from, to, n, Math.round(n * errorRate), latencies, predictions);
        }

        @Override
        public String describe() {
            return "scripted backend";
        }

        @Override
        public void close() {}
    }
}
