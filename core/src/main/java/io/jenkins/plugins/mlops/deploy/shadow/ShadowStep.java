package io.jenkins.plugins.mlops.deploy.shadow;

import io.jenkins.plugins.mlops.deploy.log.LogStats;
import io.jenkins.plugins.mlops.deploy.router.ExchangeListener;
import io.jenkins.plugins.mlops.deploy.router.ExchangePage;
import io.jenkins.plugins.mlops.deploy.router.MirrorStats;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterClient;
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
import java.util.function.BooleanSupplier;
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
        return run(config, logCredentials, null, progress);
    }

    /**
     * Runs the step: on a router of its own (in this process, stopped at the end), or, with
     * {@link ShadowConfig#router()}, on a router that runs on its own, through its admin API with
     * {@code routerToken}: the mirror is turned on for the step and off after it, and the router
     * keeps serving its clients throughout.
     */
    public static ShadowResult run(ShadowConfig config, Properties logCredentials, String routerToken, Consumer<String> progress) {
        Instant started = Instant.now();
        List<String> bodies = config.replay() == null ? null : Replay.read(config.replay());
        if (config.router() != null) {
            return remote(config, new RouterClient(config.router(), routerToken), bodies, started, progress);
        }
        RouterConfig routerConfig = RouterConfig.builder().listen(config.listen()).variant("primary", config.primary())
                .mirror(config.shadow()).mirrorQueue(config.mirrorQueue()).mirrorTimeout(config.mirrorTimeout())
                .log(config.logJdbcUrl()).payloadMode(config.payloadMode()).upstreamCa(config.upstreamCa()).build();
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
                awaitTraffic(config, comparison, progress, () -> false);
            }
            if (!router.awaitQuiet(config.mirrorTimeout().plusSeconds(5))) {
                progress.accept("shadow: mirrored requests still in flight after the mirror timeout; they count as not compared");
            }
            seen = comparison.snapshot();
            mirror = router.mirrorStats();
            // Clients whose requests are in flight get their answers before the router goes.
            router.stop(Router.STEP_END_GRACE);
            log = router.logStats();
        }
        return result(config, started, seen, mirror, log);
    }

    /**
     * The step on a router that outlives it: mirror on, the journal of what it served read into the
     * comparison until enough came, mirror off, the copies in flight awaited and read too. The
     * counters are the router's, less what they were when the step began.
     */
    private static ShadowResult remote(ShadowConfig config, RouterClient router, List<String> bodies, Instant started,
            Consumer<String> progress) {
        ShadowComparison comparison = new ShadowComparison(config.compare(), config.tolerance());
        RouterClient.Mirror before = router.mirrorTo(config.shadow());
        JournalReader journal = new JournalReader(router, before.journal(), comparison);
        progress.accept("shadow: " + router + " mirrors to " + config.shadow() + " (admin API); it keeps serving after the step");
        RouterClient.Mirror after;
        try {
            if (bodies != null) {
                long limit = config.requests() != null ? config.requests() : bodies.size();
                progress.accept("shadow: replaying " + limit + " requests from " + config.replay() + " through " + router.uri());
                Replay.send(router.uri(), config.replayPath(), bodies, limit);
            } else {
                awaitTraffic(config, comparison, progress, journal::read);
            }
        } finally {
            after = router.mirrorOff();
        }
        long deadline = System.nanoTime() + config.mirrorTimeout().plusSeconds(5).toNanos();
        while (after.stats().inFlight() > 0 && System.nanoTime() < deadline) {
            journal.read();
            sleep(100);
            after = router.mirror();
        }
        if (after.stats().inFlight() > 0) {
            progress.accept("shadow: mirrored requests still in flight after the mirror timeout; they count as not compared");
        }
        while (journal.read()) {
            // until the journal has nothing after the cursor
        }
        if (journal.missed() > 0) {
            progress.accept("shadow: the router's journal dropped " + journal.missed() + " exchanges before the step read them;"
                    + " they are not compared");
        }
        MirrorStats mirror = new MirrorStats(after.stats().sent() - before.stats().sent(),
                after.stats().failed() - before.stats().failed(), after.stats().dropped() - before.stats().dropped(),
                after.stats().inFlight());
        return result(config, started, comparison.snapshot(), mirror, null);
    }

    /** Reads the router's journal after a cursor into a listener, one page a call. */
    private static final class JournalReader {
        private static final int PAGE = 1_000;
        private final RouterClient router;
        private final ExchangeListener listener;
        private long cursor;
        private long missed;

        JournalReader(RouterClient router, long cursor, ExchangeListener listener) {
            this.router = router;
            this.cursor = cursor;
            this.listener = listener;
        }

        /** Reads one page; true when it had entries. */
        boolean read() {
            ExchangePage page = router.exchanges(cursor, PAGE);
            page.exchanges().forEach(entry -> entry.replay(listener));
            missed += page.missed();
            cursor = page.next();
            return !page.exchanges().isEmpty();
        }

        long missed() {
            return missed;
        }
    }

    /** Waits for the requests or the duration; {@code pump} brings news in (true when it did) and is called between looks. */
    private static void awaitTraffic(ShadowConfig config, ShadowComparison comparison, Consumer<String> progress,
            BooleanSupplier pump) {
        Instant deadline = config.duration() == null ? Instant.MAX : Instant.now().plus(config.duration());
        Instant nextProgress = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline) && (config.requests() == null || comparison.requests() < config.requests())) {
            boolean news = pump.getAsBoolean();
            if (Instant.now().isAfter(nextProgress)) {
                progress.accept("shadow: " + comparison.requests() + (config.requests() == null ? "" : " of " + config.requests())
                        + " requests so far");
                nextProgress = Instant.now().plusSeconds(10);
            }
            if (!news && !sleep(50)) {
                return;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
                Duration.between(started, Instant.now()).toMillis() / 1000.0, summary, checks,
                config.primary() != null ? config.primary().toString() : config.router() + " (its variants)",
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
