package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.shadow.CompareMode;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowConfig;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops shadow}: the shadowDeploy step. */
@Command(name = "shadow", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Puts the router in front of the primary model server and mirrors every request to the shadow"
            + " (asynchronously, bounded: clients get the primary's answer unchanged), then compares both models'"
            + " predictions row by row (MLflow /invocations, KServe v1/v2), their errors and latency.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the shadow is within the policy", "  1  disagreement, shadow errors or latency exceed the policy,"
            + " or too little traffic came", "  2  bad input or usage", "  3  the router or the log database could not start"})
public final class ShadowCommand extends StepCommand<ShadowResult> {
    @Option(names = "--primary", required = true, paramLabel = "URL", description = "The model server clients are answered by.")
    URI primary;

    @Option(names = "--shadow", required = true, paramLabel = "URL", description = "The candidate that gets a copy of each request.")
    URI shadow;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where the router listens (default ${DEFAULT-VALUE}; port 0 for a free one).")
    String listen;

    @Option(names = "--requests", paramLabel = "N", description = "Stop after N requests answered by the primary.")
    Long requests;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop after D (e.g. 10m); with --requests, the longest to wait for them.")
    Duration duration;

    @Option(names = "--replay", paramLabel = "FILE",
            description = "Send the JSON request bodies in FILE (one per line) through the router, instead of waiting for clients.")
    Path replay;

    @Option(names = "--replay-path", paramLabel = "PATH", defaultValue = "/invocations",
            description = "Where replayed requests go (default ${DEFAULT-VALUE}).")
    String replayPath;

    @Mixin
    PredictionLogOptions log;

    @Option(names = "--compare", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, numeric, label or json (default ${DEFAULT-VALUE}).")
    CompareMode compare;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "1e-6",
            description = "Numeric predictions within X agree (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--max-disagreement", paramLabel = "F", defaultValue = "0.05",
            description = "Largest share of rows that may differ (default ${DEFAULT-VALUE}).")
    double maxDisagreement;

    @Option(names = "--max-shadow-error-rate", paramLabel = "F", defaultValue = "0.01",
            description = "Largest share of mirrored requests the shadow may fail (default ${DEFAULT-VALUE}).")
    double maxShadowErrorRate;

    @Option(names = "--max-latency-ratio", paramLabel = "R", defaultValue = "1.5",
            description = "Largest shadow p95 / primary p95 latency (default ${DEFAULT-VALUE}).")
    double maxLatencyRatio;

    @Option(names = "--mirror-queue", paramLabel = "N", defaultValue = "1024",
            description = "Mirrored requests queued or in flight; more are dropped and counted (default ${DEFAULT-VALUE}).")
    int mirrorQueue;

    @Option(names = "--mirror-timeout", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
            description = "A mirrored request unanswered after D is a shadow error (default ${DEFAULT-VALUE}).")
    Duration mirrorTimeout;

    @Override
    protected ShadowResult runStep() {
        ShadowConfig config = new ShadowConfig(primary, shadow, listen, requests, duration, log.jdbcUrl(), log.payload, compare,
                tolerance, maxDisagreement, maxShadowErrorRate, maxLatencyRatio, replay, replayPath, mirrorQueue, mirrorTimeout);
        return ShadowStep.run(config, PredictionLogOptions.credentials(System.getenv()), this::progress);
    }

    @Override
    protected String reportName() {
        return "shadow";
    }

    @Override
    protected String reportTitle() {
        return "Shadow deployment";
    }

    @Override
    protected List<String> reportPanels(ShadowResult result) {
        return ShadowPanels.panels(result);
    }
}
