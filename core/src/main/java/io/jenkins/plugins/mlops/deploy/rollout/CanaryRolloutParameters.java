package io.jenkins.plugins.mlops.deploy.rollout;

import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.LIST;
import static io.jenkins.plugins.mlops.params.ParameterType.NUMBER;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.PERCENTS;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.URL;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@code canaryRollout} ({@code mlops canary}, the {@code canary} stage) takes, read and
 * checked: the one place for their names, defaults and help ({@link #CATALOGUE}). Paths and a
 * relative SQLite log are resolved against the directory the rollout runs in; the record goes to
 * the Jenkins agent that runs it.
 */
public record CanaryRolloutParameters(String backend, URI stable, URI candidate, String listen, String state, String log,
        PayloadMode payload, String metricLog, Duration queryTimeout, URI prometheus, Duration prometheusStep,
        String namespace, String virtualService, String host, String stableSubset, String candidateSubset,
        String inferenceService, String replay, String replayPath, double replayRate, CanaryConfig config, URI router,
        String routerTokenFile, String upstreamCa) implements Serializable {

    public static final String EMBEDDED = "embedded";
    public static final String ISTIO = "istio";
    public static final String KSERVE = "kserve";

    /**
     * The parameters. The {@code canary} stage of {@code mlops.yaml} has no Kubernetes backend: the
     * pipeline serves both models itself, on the embedded router, so those are CLI and Jenkins only.
     */
    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("canaryRollout", List.of(
            Parameter.choice("backend", EMBEDDED, "embedded (the router, default), istio (VirtualService weights) or "
                    + "kserve (canaryTrafficPercent).", EMBEDDED, ISTIO, KSERVE).only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("stable", URL, null, "embedded: the current model server."),
            Parameter.of("candidate", URL, null, "embedded: the model server being rolled out; with router, the running"
                    + " router's candidate is pointed at it first (while it has no traffic)."),
            Parameter.of("listen", TEXT, "127.0.0.1:8080", "embedded: where the router listens, HOST:PORT."),
            Parameter.of("state", PATH, null, "embedded: the router's weights persist here; a rollout started again resumes at them."),
            Parameter.of("log", TEXT, "jdbc:sqlite:mlops-predictions.db", "Prediction log: jdbc:sqlite:FILE or "
                    + "jdbc:postgresql://HOST:PORT/DB; 'none' for no log. Credentials from MLOPS_LOG_USER and MLOPS_LOG_PASSWORD."),
            Parameter.choice("payload", "full", "What the log keeps of each request: full, hashed (sha256, still joinable) or none.",
                    "full", "hashed", "none"),
            Parameter.of("steps", PERCENTS, "5,25,50,100", "The candidate's weights in percent; 100 is the promotion."),
            Parameter.of("stepDuration", DURATION, "60s", "How long each weight is held before it may advance."),
            Parameter.of("interval", DURATION, null, "How often the judge looks within a step; a failing candidate is "
                    + "rolled back within one (default: a quarter of the step duration, at least 1s)."),
            Parameter.of("maxWait", DURATION, null, "How much longer a step waits for the minimum requests; then it fails "
                    + "closed (default: the step duration)."),
            Parameter.of("minRequests", WHOLE, "100", "Requests each arm must serve in a step before it is judged."),
            Parameter.of("maxErrorRate", NUMBER, "0.01", "The candidate's error rate (5xx, refused, timed out) may not exceed this."),
            Parameter.of("maxLatencyRatio", NUMBER, "1.2", "Stable's median latency shifted by the Hodges-Lehmann estimate, "
                    + "over stable's median; fails only when the slowdown is also significant."),
            Parameter.of("maxPredictionDrift", NUMBER, "0.2", "Kolmogorov-Smirnov distance between the arms' predictions."),
            Parameter.of("confidence", NUMBER, "0.95", "Confidence level of every test."),
            Parameter.of("minMetricSamples", WHOLE, "30", "Values each arm needs before a business metric is judged."),
            Parameter.of("metric", LIST, null, "A business metric (several allowed): SQL "
                    + "over the prediction log returning one value per unit of the arm, with :variant, :from and :to bound; "
                    + "or PromQL with $variant. See docs/canary.md.").labelled("NAME[:higher|lower|either]=QUERY"),
            Parameter.of("metricLog", TEXT, null, "Where SQL metrics read the prediction log (default: the log), as "
                    + "MLOPS_METRIC_USER and MLOPS_METRIC_PASSWORD (default: the log's user): a role that can only read the log."),
            Parameter.of("queryTimeout", DURATION, "30s", "The longest a metric query may run."),
            Parameter.of("prometheus", URL, null, "Prometheus' base URL: istio and kserve read their windows there; PromQL metrics too.")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("prometheusStep", DURATION, "15s", "Resolution of latency and PromQL samples, ideally the scrape interval.")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("namespace", TEXT, "default", "istio, kserve: the namespace of the resource.").only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("virtualService", TEXT, null, "istio: the VirtualService whose route weights move.")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("host", TEXT, null, "istio: the routes' destination host (default: the VirtualService's name).")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("stableSubset", TEXT, "stable", "istio: the DestinationRule subset (and version label) of stable.")
                    .only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("candidateSubset", TEXT, "candidate", "istio: the subset of the candidate.").only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("inferenceService", TEXT, null, "kserve: the InferenceService whose canaryTrafficPercent moves "
                    + "(its new model already applied).").only(FrontEnd.CLI, FrontEnd.JENKINS),
            Parameter.of("replay", PATH, null, "Replay the JSON request bodies in FILE (one per line) through the router at "
                    + "the replay rate, for as long as the rollout runs; without it, real clients send the traffic."),
            Parameter.of("replayPath", TEXT, "/invocations", "Where replayed requests go."),
            Parameter.of("replayRate", NUMBER, "20", "Replayed requests per second; at most 64 wait at once."),
            RouterAccess.ROUTER, RouterAccess.TOKEN_FILE, RouterAccess.UPSTREAM_CA));

    public static ParameterBuilder<CanaryRolloutParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, CanaryRolloutParameters::of);
    }

    private static CanaryRolloutParameters of(ParameterValues v) {
        Duration stepDuration = v.duration("stepDuration");
        Duration interval = v.duration("interval") != null ? v.duration("interval")
                : Duration.ofMillis(Math.max(1000, stepDuration.toMillis() / 4));
        List<BusinessMetric> metrics = v.list("metric").stream().map(m -> BusinessMetric.parse(m, "--metric")).toList();
        CanaryConfig config = new CanaryConfig(v.percents("steps"), stepDuration, interval,
                v.duration("maxWait") == null ? stepDuration : v.duration("maxWait"),
                new JudgePolicy(v.whole("minRequests"), v.number("maxErrorRate"), v.number("maxLatencyRatio"),
                        v.number("maxPredictionDrift"), (int) Math.min(Integer.MAX_VALUE, v.whole("minMetricSamples")), 1 - v.number("confidence")),
                metrics);
        return new CanaryRolloutParameters(v.text("backend"), v.url("stable"), v.url("candidate"), v.text("listen"),
                v.path("state"), v.text("log"), PayloadMode.valueOf(v.text("payload").toUpperCase(Locale.ROOT)),
                v.text("metricLog"), v.duration("queryTimeout"), v.url("prometheus"), v.duration("prometheusStep"),
                v.text("namespace"), v.text("virtualService"), v.text("host"), v.text("stableSubset"),
                v.text("candidateSubset"), v.text("inferenceService"), v.path("replay"), v.text("replayPath"),
                v.number("replayRate"), config, v.url("router"), v.path("routerTokenFile"), v.path("upstreamCa"));
    }
}
