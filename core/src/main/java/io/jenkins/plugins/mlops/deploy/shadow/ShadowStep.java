package io.jenkins.plugins.mlops.deploy.shadow;

import io.jenkins.plugins.mlops.deploy.log.LogStats;
import io.jenkins.plugins.mlops.deploy.router.MirrorStats;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.report.Html;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The shadowDeploy step: puts the router in front of the primary, mirrors every request to the
 * shadow, compares both models' predictions row by row and judges disagreement, the shadow's
 * errors and its latency against the policy. Clients get the primary's answers unchanged.
 */
public final class ShadowStep {
    private static final double Z95 = 1.959963984540054;

    private ShadowStep() {}

    public static ShadowResult run(ShadowConfig config, Properties logCredentials, Consumer<String> progress) {
        Instant started = Instant.now();
        List<String> bodies = config.replay() == null ? null : Replay.read(config.replay());
        RouterConfig routerConfig = RouterConfig.builder().listen(config.listen()).variant("primary", config.primary())
                .mirror(config.shadow()).mirrorQueue(config.mirrorQueue()).mirrorTimeout(config.mirrorTimeout())
                .log(config.logJdbcUrl()).payloadMode(config.payloadMode()).build();
        ShadowComparison comparison = new ShadowComparison(config.compare(), config.tolerance());
        MirrorStats mirror;
        LogStats log;
        ShadowComparison.Snapshot seen;
        try (Router router = Router.start(routerConfig, logCredentials)) {
            router.addListener(comparison);
            progress.accept("shadow: router on " + router.uri() + " → primary " + config.primary() + ", mirroring to "
                    + config.shadow());
            if (bodies != null) {
                long limit = config.requests() != null ? config.requests() : bodies.size();
                progress.accept("shadow: replaying " + limit + " requests from " + config.replay());
                Replay.send(router.uri(), config.replayPath(), bodies, limit);
            } else {
                awaitTraffic(config, comparison, progress);
            }
            if (!router.awaitQuiet(config.mirrorTimeout().plusSeconds(5))) {
                progress.accept("shadow: mirrored requests still in flight after the mirror timeout; they count as not compared");
            }
            seen = comparison.snapshot();
            mirror = router.mirrorStats();
            router.close();
            log = router.logStats();
        }
        return result(config, started, seen, mirror, log);
    }

    private static void awaitTraffic(ShadowConfig config, ShadowComparison comparison, Consumer<String> progress) {
        Instant deadline = config.duration() == null ? Instant.MAX : Instant.now().plus(config.duration());
        Instant nextProgress = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline) && (config.requests() == null || comparison.requests() < config.requests())) {
            if (Instant.now().isAfter(nextProgress)) {
                progress.accept("shadow: " + comparison.requests() + (config.requests() == null ? "" : " of " + config.requests())
                        + " requests so far");
                nextProgress = Instant.now().plusSeconds(10);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static ShadowResult result(ShadowConfig config, Instant started, ShadowComparison.Snapshot seen, MirrorStats mirror,
            LogStats log) {
        List<Check> checks = new ArrayList<>();
        double agreement = seen.rows() == 0 ? Double.NaN : (double) seen.agreeing() / seen.rows();
        double[] interval = wilson(seen.agreeing(), seen.rows());
        long expected = config.requests() == null ? 1 : config.requests();
        checks.add(Check.of("requests", null, seen.requests() >= expected ? Status.PASS : Status.ERROR, seen.requests(),
                ">= " + expected, seen.requests() >= expected ? "the primary answered " + seen.requests() + " requests"
                        : "too little traffic to judge: " + seen.requests() + " of " + expected + " requests came"));
        if (seen.rows() == 0) {
            checks.add(Check.of("disagreement", null, Status.ERROR, "no rows", "<= " + config.maxDisagreement(),
                    "no prediction could be compared (" + seen.compared() + " comparable answers), so the shadow is not judged"));
        } else {
            double disagreement = 1 - agreement;
            checks.add(Check.of("disagreement", null, disagreement <= config.maxDisagreement() ? Status.PASS : Status.FAIL,
                    percent(disagreement), "<= " + percent(config.maxDisagreement()),
                    (seen.rows() - seen.agreeing()) + " of " + seen.rows() + " rows differ; agreement "
                            + percent(agreement) + " (95% CI " + percent(interval[0]) + "–" + percent(interval[1]) + ")"));
        }
        long attempts = mirror.sent();
        double shadowErrorRate = attempts == 0 ? Double.NaN : (double) seen.shadowErrors() / attempts;
        checks.add(attempts == 0 ? Check.of("shadow_error_rate", null, Status.ERROR, "no mirrored requests",
                "<= " + percent(config.maxShadowErrorRate()), "nothing reached the shadow")
                : Check.of("shadow_error_rate", null, shadowErrorRate <= config.maxShadowErrorRate() ? Status.PASS : Status.FAIL,
                        percent(shadowErrorRate), "<= " + percent(config.maxShadowErrorRate()),
                        seen.shadowErrors() + " of " + attempts + " mirrored requests failed (5xx, refused or timed out)"));
        LatencySummary primaryLatency = LatencySummary.of(seen.primaryLatencies());
        LatencySummary shadowLatency = LatencySummary.of(seen.shadowLatencies());
        double ratio = shadowLatency.p95Ms() / primaryLatency.p95Ms();
        checks.add(Double.isNaN(ratio) ? Check.of("latency_ratio", null, Status.ERROR, "no latencies",
                "<= " + config.maxLatencyRatio(), "no latency to compare")
                : Check.of("latency_ratio", null, ratio <= config.maxLatencyRatio() ? Status.PASS : Status.FAIL,
                        Html.number(ratio), "<= " + config.maxLatencyRatio(), "shadow p95 " + ms(shadowLatency.p95Ms())
                                + " vs primary p95 " + ms(primaryLatency.p95Ms())));
        checks.add(Check.of("mirror_dropped", null, mirror.dropped() == 0 ? Status.PASS : Status.WARN, mirror.dropped(), 0,
                mirror.dropped() == 0 ? "every request was mirrored" : mirror.dropped()
                        + " copies dropped because the mirror queue was full (the shadow was too slow); the primary was not delayed"));
        if (log != null) {
            checks.add(Check.of("prediction_log", null, log.lost() == 0 ? Status.PASS : Status.WARN, log.lost() + " lost", "0 lost",
                    log.written() + " rows written to " + log.database() + (log.lost() == 0 ? "" : ", " + log.lost()
                            + " lost (" + log.rejected() + " refused by a full buffer, " + log.unwritten() + " unwritten at the end)")
                            + (log.failedWrites() == 0 ? "" : "; " + log.failedWrites() + " failed writes retried")));
        }
        Status status = Status.worstOf(checks);
        String summary = seen.rows() == 0 ? "No predictions compared over " + seen.requests() + " requests."
                : String.format(Locale.ROOT, "Shadow agrees on %s of %d rows (95%% CI %s–%s) over %d requests; shadow errors %s,"
                        + " p95 latency ratio %s.", percent(agreement), seen.rows(), percent(interval[0]), percent(interval[1]),
                        seen.requests(), Double.isNaN(shadowErrorRate) ? "n/a" : percent(shadowErrorRate),
                        Double.isNaN(ratio) ? "n/a" : Html.number(ratio));
        return new ShadowResult(ShadowResult.SCHEMA, ShadowResult.STEP, status, started,
                Duration.between(started, Instant.now()).toMillis() / 1000.0, summary, checks, config.primary().toString(),
                config.shadow().toString(), config.compare().name().toLowerCase(Locale.ROOT), config.tolerance(), seen.requests(),
                seen.compared(), seen.rows(), seen.agreeing(), agreement, interval[0], interval[1], seen.meanDifference(),
                seen.maxDifference(), seen.primaryErrors(), seen.shadowErrors(), mirror, primaryLatency, shadowLatency,
                seen.distribution(), seen.worst(), log);
    }

    /** The Wilson score interval of a proportion: sensible at 0, 1 and small counts, unlike the normal one. */
    static double[] wilson(long successes, long n) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        // At p = 0 or 1 the bound is exactly 0 or 1; floating point would leave 0.9999999999999999.
        return new double[] {successes == 0 ? 0 : Math.max(0, centre - half), successes == n ? 1 : Math.min(1, centre + half)};
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : Html.number(Math.round(share * 10000) / 100.0) + "%";
    }

    private static String ms(double value) {
        return Html.number(Math.round(value * 100) / 100.0) + " ms";
    }
}
