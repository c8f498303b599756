package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.rollout.AbConfig;
import io.jenkins.plugins.mlops.deploy.rollout.AbExperiment;
import io.jenkins.plugins.mlops.deploy.rollout.AbPanels;
import io.jenkins.plugins.mlops.deploy.rollout.AbResult;
import io.jenkins.plugins.mlops.deploy.rollout.Sleeper;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
import io.jenkins.plugins.mlops.deploy.router.RouterClient;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.router.Stickiness;
import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops ab}: a fixed-split experiment between two model servers, each metric's difference with its interval. */
@Command(
        name = "ab",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Split traffic between two model servers at a fixed share through the embedded router, then report both "
                    + "arms and the difference b − a of each metric with its confidence interval: error rate, latency "
                    + "(Hodges-Lehmann shift) and business metrics from SQL over the prediction log, where outcomes "
                    + "posted to the router's /feedback join the predictions by request id."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  every metric was measured (whichever arm won)",
            "  1  a metric had too little data to measure (fails closed)",
            "  2  bad input or usage",
            "  3  the router or the log database failed",
            "",
            "Example:",
            "  mlops ab --a http://127.0.0.1:5001 --b http://127.0.0.1:5002 --split 50 --duration 30m \\",
            "    --metric 'converted:higher=SELECT f.outcome FROM mlops_predictions p JOIN mlops_feedback f "
                    + "USING (request_id) WHERE p.variant = :variant AND p.received_at >= :from AND p.received_at < :to' \\",
            "    --report reports/ab"
        })
public final class AbCommand extends StepCommand<AbResult> {
    @Option(names = "--a", paramLabel = "URL", description = "Arm a's model server (not with --router).")
    URI a;

    @Option(names = "--b", paramLabel = "URL", description = "Arm b's model server (not with --router).")
    URI b;

    @Option(names = "--router", paramLabel = "URL",
            description = "A router that runs on its own with variants 'a' and 'b' (mlops router --admin-token): the split is"
                    + " set through its admin API and the arms read back from it; it keeps serving after the experiment."
                    + " Its token from " + RouterAccess.TOKEN_ENV + " or --router-token-file.")
    URI router;

    @Option(names = "--router-token-file", paramLabel = "FILE", description = "A file holding the router's admin token.")
    String routerTokenFile;

    @Option(names = "--split", paramLabel = "P", defaultValue = "50",
            description = "Percent of traffic arm b gets (default ${DEFAULT-VALUE}).")
    int split;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Run the experiment this long.")
    Duration duration;

    @Option(names = "--requests", paramLabel = "N", description = "Run until both arms together served N requests.")
    Long requests;

    @Option(names = "--max-duration", paramLabel = "D", defaultValue = "1h", converter = DurationConverter.class,
            description = "With --requests: stop here even if fewer came (default ${DEFAULT-VALUE}).")
    Duration maxDuration;

    @Option(names = "--feedback-wait", paramLabel = "D", converter = DurationConverter.class,
            description = "After the traffic, wait this long for late /feedback before reading the metrics (default: no wait).")
    Duration feedbackWait;

    @Option(names = "--metric", paramLabel = "NAME=SQL",
            description = "A business metric (repeatable): SQL over the prediction log returning one value per unit of "
                    + "the arm, with :variant ('a' or 'b'), :from and :to bound. See docs/ab.md.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--confidence", paramLabel = "LEVEL", defaultValue = "0.95",
            description = "Confidence level of the intervals (default ${DEFAULT-VALUE}).")
    double confidence;

    @Option(names = "--min-samples", paramLabel = "N", defaultValue = "30",
            description = "Values each arm needs per metric (default ${DEFAULT-VALUE}).")
    int minSamples;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where the router listens (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--sticky-header", paramLabel = "NAME",
            description = "Keep each user on one arm by hashing this request header (e.g. X-User-Id).")
    String stickyHeader;

    @Option(names = "--upstream-ca", paramLabel = "FILE", description = "CA certificates (PEM) the router trusts for https"
            + " arms besides the JVM's trust store (not with --router: a running router has its own).")
    Path upstreamCa;

    @Mixin
    PredictionLogOptions log;

    @Mixin
    MetricOptions metricOptions;

    @Mixin
    TrafficOptions traffic;

    @Override
    protected AbResult runStep() {
        List<BusinessMetric> parsed = metrics.stream().map(m -> BusinessMetric.parse(m, "--metric")).toList();
        AbConfig config = new AbConfig(split, duration, requests, maxDuration, feedbackWait, parsed, confidence, minSamples);
        if (router != null) {
            if (a != null || b != null) {
                throw new BadInputException("--router: the running router serves its own variants 'a' and 'b'; give --router"
                        + " or --a and --b, not both");
            }
            return running(config, parsed, new RouterClient(router, RouterAccess.token(routerTokenFile, Path.of(""),
                    System.getenv())));
        }
        if (a == null || b == null) {
            throw new BadInputException("give --a URL and --b URL (the arms' model servers), or --router URL");
        }
        String jdbc = log.jdbcUrl();
        MetricSources sources = metricOptions.sources(log, true, null, UnaryOperator.identity(), parsed, this::warn);
        RouterConfig.Builder routerConfig = RouterConfig.builder().listen(listen).variant(AbConfig.A, a).variant(AbConfig.B, b)
                .weight(AbConfig.A, 100 - split).weight(AbConfig.B, split)
                .log(jdbc).payloadMode(log.payload).upstreamCa(upstreamCa);
        if (stickyHeader != null) {
            routerConfig.stickiness(Stickiness.header(stickyHeader));
        }
        try (Router router = Router.start(routerConfig.build(), PredictionLogOptions.credentials(System.getenv()))) {
            progress("Router listening on " + router.uri() + ": a " + (100 - split) + "%, b " + split + "%");
            // Started by the experiment once its window is open; a replay for --requests N sends N and no more.
            AtomicReference<PacedReplay> replay = new AtomicReference<>();
            try {
                return new AbExperiment(router::observe, sources, Clock.systemUTC(), Sleeper.REAL, this::progress)
                        .run(config, a.toString(), b.toString(),
                                () -> replay.set(traffic.start(router.uri(), requests == null ? Long.MAX_VALUE : requests)),
                                () -> {
                                    stop(replay.get());
                                    // The log is written off the request path: let it catch up before the metrics read it.
                                    router.awaitQuiet(Duration.ofSeconds(30));
                                    router.awaitLogWritten(Duration.ofSeconds(30));
                                });
            } finally {
                stop(replay.get());
            }
        }
    }

    /** The experiment on a router that runs on its own: the split set there, the arms read back from its windows. */
    private AbResult running(AbConfig config, List<BusinessMetric> parsed, RouterClient client) {
        MetricSources sources = metricOptions.sources(log, false, null, UnaryOperator.identity(), parsed, this::warn);
        client.setWeights(Map.of(AbConfig.A, 100 - split, AbConfig.B, split));
        progress(client + ": a " + (100 - split) + "%, b " + split + "% (admin API); it keeps serving after the experiment");
        AtomicReference<PacedReplay> replay = new AtomicReference<>();
        try {
            return new AbExperiment(client::observe, sources, Clock.systemUTC(), Sleeper.REAL, this::progress)
                    .run(config, "variant a of " + client, "variant b of " + client,
                            () -> replay.set(traffic.start(client.uri(), requests == null ? Long.MAX_VALUE : requests)),
                            () -> stop(replay.get()));
        } finally {
            stop(replay.get());
        }
    }

    private static void stop(PacedReplay replay) {
        if (replay != null) {
            replay.close();
        }
    }

    @Override
    protected String reportName() {
        return "ab";
    }

    @Override
    protected String reportTitle() {
        return "A/B experiment";
    }

    @Override
    protected List<String> reportPanels(AbResult result) {
        return AbPanels.panels(result);
    }
}
