package io.jenkins.plugins.mlops.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AbExperimentTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void aRequestCountedRunStopsAtTheCountAndMeasuresEveryMetric() {
        List<String> events = new ArrayList<>();
        // 10 requests a second per arm; b is 5 ms slower and converts 0.5 against a's 0.3.
        AbExperiment.Arms arms = (arm, from, to) -> window(arm, (int) (10 * Duration.between(from, to).toSeconds()),
                arm.equals(AbConfig.A) ? 20 : 25);
        MetricReader conversions = (metric, variant, from, to) -> {
            events.add("read " + variant);
            return bernoulli(600, variant.equals(AbConfig.A) ? 0.3 : 0.5, variant.equals(AbConfig.A) ? 1 : 2);
        };
        AbConfig config = new AbConfig(50, null, 400L, Duration.ofMinutes(10), Duration.ofSeconds(5),
                List.of(BusinessMetric.parse("converted:higher=SELECT 1", "--metric")), 0.95, 30);
        AbResult result = new AbExperiment(arms, conversions, clock, clock, m -> {})
                .run(config, "http://a", "http://b", () -> events.add("traffic on"), () -> events.add("traffic over"));
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.durationS()).isEqualTo(25); // 20 s to 400 requests, then the 5 s feedback wait
        assertThat(events).containsSubsequence("read a", "traffic on", "traffic over", "read a", "read b");
        AbComparison latency = result.comparisons().get(1);
        assertThat(latency.difference()).isCloseTo(5, within(0.5));
        assertThat(latency.significant()).isTrue();
        AbComparison converted = result.comparisons().get(2);
        assertThat(converted.difference()).isCloseTo(0.2, within(0.06));
        assertThat(converted.low()).isPositive();
        assertThat(result.summary()).contains("converted");
    }

    @Test
    void aRequestCountedRunJudgesExactlyTheFirstNRequestsThoughMoreArrived() {
        // 25 requests a second, alternating arms; the experiment polls once a second, so it sees 50 when it asks for 40.
        Instant opened = clock.instant();
        List<Instant> arrivals = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            arrivals.add(opened.plusMillis(i * 40L + 3));
        }
        AbExperiment.Arms arms = (arm, from, to) -> {
            int n = 0;
            for (int i = 0; i < arrivals.size(); i++) {
                Instant at = arrivals.get(i);
                boolean ofArm = (i % 2 == 0) == arm.equals(AbConfig.A);
                if (ofArm && !at.isBefore(from) && at.isBefore(to) && !at.isAfter(clock.instant())) {
                    n++;
                }
            }
            return window(arm, n, 20);
        };
        AbConfig config = new AbConfig(50, null, 40L, Duration.ofMinutes(1), null, List.of(), 0.95, 10);

        AbResult result = new AbExperiment(arms, MetricReader.NONE, clock, clock, m -> {}).run(config, "a", "b", () -> {}, () -> {});

        assertThat(result.armA().requests() + result.armB().requests()).isEqualTo(40);
        assertThat(result.armA().requests()).isEqualTo(20);
        assertThat(result.summary()).startsWith("b against a over 20 + 20 requests");
    }

    @Test
    void tooLittleDataIsNotMeasuredAndFailsClosed() {
        AbExperiment.Arms arms = (arm, from, to) -> window(arm, 3, 20);
        AbConfig config = new AbConfig(50, Duration.ofSeconds(10), null, null, null, List.of(), 0.95, 30);
        AbResult result = new AbExperiment(arms, MetricReader.NONE, clock, clock, m -> {}).run(config, "a", "b", () -> {}, () -> {});
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.comparisons()).noneMatch(AbComparison::measured);
        assertThat(result.checks()).allMatch(c -> c.message().contains("too few values"));
    }

    @Test
    void configRefusesNonsense() {
        assertThatThrownBy(() -> new AbConfig(0, Duration.ofSeconds(1), null, null, null, List.of(), 0.95, 30))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--split");
        assertThatThrownBy(() -> new AbConfig(50, Duration.ofSeconds(1), 10L, null, null, List.of(), 0.95, 30))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new AbConfig(50, null, 1L, null, null, List.of(), 0.95, 30)).hasMessageContaining("--requests");
        assertThatThrownBy(() -> new AbConfig(50, Duration.ofSeconds(1), null, null, null, List.of(), 1.5, 30))
                .hasMessageContaining("--confidence");
    }

    private static VariantWindow window(String arm, int n, double medianMs) {
        SplittableRandom random = new SplittableRandom(arm.hashCode());
        double[] latencies = new double[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = medianMs + random.nextDouble() * 2 - 1;
        }
        return new VariantWindow(arm, java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(1), n, 0, latencies, new double[0]);
    }

    private static double[] bernoulli(int n, double p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() < p ? 1 : 0;
        }
        return values;
    }
}
