package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.HodgesLehmann;
import io.jenkins.plugins.mlops.deploy.judge.MeanDifference;
import io.jenkins.plugins.mlops.deploy.judge.Samples;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs a fixed-split A/B experiment while traffic flows through the router: waits for the
 * duration or the request count (bounded), then compares the arms over the same interval (for a
 * count, the one that holds exactly the first N requests, however many more came): error
 * rate (difference of proportions), latency (Hodges-Lehmann shift), and each business metric
 * (difference of means, Welch), every one with its confidence interval.
 */
public final class AbExperiment {
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int MAX_SHIFT_SAMPLES = 700;

    /** Where the arms' windows come from: the embedded router's recorder. */
    @FunctionalInterface
    public interface Arms {
        VariantWindow observe(String arm, Instant from, Instant to);
    }

    private final Arms arms;
    private final MetricReader metrics;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    public AbExperiment(Arms arms, MetricReader metrics, Clock clock, Sleeper sleeper, Consumer<String> progress) {
        this.arms = arms;
        this.metrics = metrics;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    /**
     * @param startTraffic runs once the experiment's window is open: start the load, so that none of it
     *     falls before the window
     * @param afterTraffic runs when the experiment's traffic window closes, before metrics are read: stop
     *     the load, let the prediction log catch up
     */
    public AbResult run(AbConfig config, String aDescription, String bDescription, Runnable startTraffic,
            Runnable afterTraffic) {
        Instant started = clock.instant();
        for (BusinessMetric metric : config.metrics()) {
            metrics.values(metric, AbConfig.A, started, started); // a broken query fails before the traffic counts
        }
        startTraffic.run();
        Instant end = waitForTraffic(config, started);
        afterTraffic.run();
        if (config.requests() != null) {
            end = endOfFirst(config.requests(), started, end);
        }
        sleep(config.feedbackWait());
        VariantWindow a = arms.observe(AbConfig.A, started, end);
        VariantWindow b = arms.observe(AbConfig.B, started, end);
        List<AbComparison> comparisons = new ArrayList<>();
        comparisons.add(errorRate(a, b, config));
        comparisons.add(latency(a, b, config));
        for (BusinessMetric metric : config.metrics()) {
            comparisons.add(business(metric, metrics.values(metric, AbConfig.A, started, end),
                    metrics.values(metric, AbConfig.B, started, end), config));
        }
        List<Check> checks = comparisons.stream().map(AbExperiment::check).toList();
        Status status = Status.worstOf(checks);
        return new AbResult(AbResult.SCHEMA, AbResult.STEP, status, started,
                Duration.between(started, clock.instant()).toMillis() / 1000.0, summary(a, b, comparisons, status), checks,
                aDescription, bDescription, config.splitPercent(), config.confidence(), ArmSummary.of(a), ArmSummary.of(b),
                comparisons);
    }

    private Instant waitForTraffic(AbConfig config, Instant started) {
        Duration limit = config.duration() != null ? config.duration() : config.maxDuration();
        while (true) {
            Duration elapsed = Duration.between(started, clock.instant());
            if (elapsed.compareTo(limit) >= 0) {
                return clock.instant();
            }
            if (config.requests() != null) {
                Instant now = clock.instant();
                long served = served(started, now);
                if (served >= config.requests()) {
                    return now;
                }
                progress.accept("  " + served + " of " + config.requests() + " requests");
            } else {
                progress.accept("  " + elapsed.toSeconds() + " s of " + config.duration().toSeconds() + " s");
            }
            Duration left = limit.minus(elapsed);
            sleep(left.compareTo(POLL) < 0 ? left : POLL);
        }
    }

    /**
     * The end of the window that holds the first {@code n} requests: the poll sees the count a
     * second late and requests in flight land after it, so the window it closed holds more. Read
     * once the traffic stopped, so that every request in the window is recorded.
     */
    private Instant endOfFirst(long n, Instant started, Instant end) {
        if (served(started, end) <= n) {
            return end;
        }
        // The arms record each request's arrival in milliseconds: the smallest end that counts n.
        long low = started.toEpochMilli();
        long high = end.toEpochMilli();
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (served(started, Instant.ofEpochMilli(middle)) >= n) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return Instant.ofEpochMilli(high);
    }

    private long served(Instant from, Instant to) {
        return arms.observe(AbConfig.A, from, to).requests() + arms.observe(AbConfig.B, from, to).requests();
    }

    private static AbComparison errorRate(VariantWindow a, VariantWindow b, AbConfig config) {
        String test = "difference of proportions, Wald interval";
        if (a.requests() < config.minSamples() || b.requests() < config.minSamples()) {
            return unmeasured("error_rate", test, a.requests(), b.requests(), config);
        }
        MeanDifference d = MeanDifference.ofProportions(a.errors(), a.requests(), b.errors(), b.requests(), config.confidence());
        return comparison("error_rate", test, d);
    }

    private static AbComparison latency(VariantWindow a, VariantWindow b, AbConfig config) {
        String test = "Hodges-Lehmann shift, Mann-Whitney interval";
        double[] la = Arrays.stream(a.latenciesMs()).filter(Double::isFinite).toArray();
        double[] lb = Arrays.stream(b.latenciesMs()).filter(Double::isFinite).toArray();
        if (la.length < config.minSamples() || lb.length < config.minSamples()) {
            return unmeasured("latency_ms", test, la.length, lb.length, config);
        }
        HodgesLehmann shift = HodgesLehmann.bounded(lb, la, MAX_SHIFT_SAMPLES, config.confidence());
        return new AbComparison("latency_ms", test, la.length, Samples.median(la), lb.length, Samples.median(lb), shift.estimate(),
                shift.low(), shift.high(), null, shift.low() > 0 || shift.high() < 0, null);
    }

    private static AbComparison business(BusinessMetric metric, double[] a, double[] b, AbConfig config) {
        String test = "difference of means, Welch interval";
        double[] fa = Arrays.stream(a).filter(Double::isFinite).toArray();
        double[] fb = Arrays.stream(b).filter(Double::isFinite).toArray();
        if (fa.length < config.minSamples() || fb.length < config.minSamples()) {
            return unmeasured(metric.name(), test, fa.length, fb.length, config);
        }
        return comparison(metric.name(), test, MeanDifference.of(fa, fb, config.confidence()));
    }

    private static AbComparison comparison(String name, String test, MeanDifference d) {
        return new AbComparison(name, test, d.nA(), d.meanA(), d.nB(), d.meanB(), d.difference(), d.low(), d.high(),
                d.pValue(), d.low() > 0 || d.high() < 0, null);
    }

    private static AbComparison unmeasured(String name, String test, long nA, long nB, AbConfig config) {
        return new AbComparison(name, test, nA, null, nB, null, null, null, null, null, false,
                String.format(Locale.ROOT, "too few values: a %d, b %d, %d each needed", nA, nB, config.minSamples()));
    }

    private static Check check(AbComparison c) {
        if (!c.measured()) {
            return new Check(c.name(), null, Status.ERROR, null, null, "Not measured: " + c.note() + ".");
        }
        String observed = String.format(Locale.ROOT, "b − a = %+.4g [%.4g, %.4g]", c.difference(), c.low(), c.high());
        return new Check(c.name(), null, Status.PASS, observed, null,
                c.significant() ? "The arms differ significantly." : "No significant difference.");
    }

    private static String summary(VariantWindow a, VariantWindow b, List<AbComparison> comparisons, Status status) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "b against a over %d + %d requests", a.requests(),
                b.requests()));
        List<String> significant = comparisons.stream().filter(AbComparison::significant)
                .map(c -> String.format(Locale.ROOT, "%s %+.4g [%.4g, %.4g]", c.name(), c.difference(), c.low(), c.high()))
                .toList();
        text.append(significant.isEmpty() ? ": no significant difference" : ": " + String.join(", ", significant));
        long unmeasured = comparisons.stream().filter(c -> !c.measured()).count();
        if (status != Status.PASS) {
            text.append("; ").append(unmeasured).append(" metric(s) had too little data to measure");
        }
        return text.append('.').toString();
    }

    private void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("the experiment was interrupted", e);
        }
    }
}
