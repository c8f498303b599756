package io.jenkins.plugins.mlops.deploy.shadow;

import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.NUMBER;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.URL;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.deploy.log.LogUrl;
import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.router.RouterAccess;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@code shadowDeploy} ({@code mlops shadow}, the {@code shadow} stage) takes, read and
 * checked: the one place for their names, defaults and help ({@link #CATALOGUE}). The files and a
 * relative SQLite log are in the directory the step runs in; the record goes to the Jenkins agent
 * that runs it.
 */
public record ShadowParameters(URI primary, URI shadow, String listen, Long requests, Duration duration, String replay,
        String replayPath, String log, PayloadMode payload, CompareMode compare, double tolerance, double maxDisagreement,
        double maxShadowErrorRate, double maxLatencyRatio, int mirrorQueue, Duration mirrorTimeout, URI router,
        String routerTokenFile, String upstreamCa) implements Serializable {

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("shadowDeploy", List.of(
            Parameter.of("primary", URL, null, "The production model server: it answers every request (required, unless"
                    + " router is given)."),
            Parameter.of("shadow", URL, null, "The candidate: it gets a copy of every request; its answers are compared, "
                    + "never returned (required)."),
            Parameter.of("listen", TEXT, "127.0.0.1:8080", "Where the router listens; port 0 for a free one.").labelled("HOST:PORT"),
            Parameter.of("requests", WHOLE, null, "Stop after N requests."),
            Parameter.of("duration", DURATION, null, "Stop after this long."),
            Parameter.of("replay", PATH, null, "Send the JSON request bodies in FILE (one per line) through the router, "
                    + "instead of waiting for clients."),
            Parameter.of("replayPath", TEXT, "/invocations", "Where replayed requests go."),
            Parameter.of("log", TEXT, "jdbc:sqlite:mlops-predictions.db", "Prediction log: jdbc:sqlite:FILE or "
                    + "jdbc:postgresql://HOST:PORT/DB; 'none' for no log. Credentials from MLOPS_LOG_USER and "
                    + "MLOPS_LOG_PASSWORD.").labelled("JDBC_URL"),
            Parameter.choice("payload", "full", "What the log keeps of each request: full, hashed (sha256, still joinable) "
                    + "or none.", "full", "hashed", "none"),
            Parameter.choice("compare", "auto", "How answers are compared: auto, numeric, label or json.",
                    "auto", "numeric", "label", "json"),
            Parameter.of("tolerance", NUMBER, "1e-6", "Numeric predictions within this agree."),
            Parameter.of("maxDisagreement", NUMBER, "0.05", "Largest share of rows that may differ."),
            Parameter.of("maxShadowErrorRate", NUMBER, "0.01", "Largest share of mirrored requests the shadow may fail."),
            Parameter.of("maxLatencyRatio", NUMBER, "1.5", "Largest shadow p95 / primary p95 latency."),
            Parameter.of("mirrorQueue", WHOLE, "1024", "Mirrored requests queued or in flight; more are dropped and counted."),
            Parameter.of("mirrorTimeout", DURATION, "10s", "A mirrored request unanswered after this long is a shadow error."),
            RouterAccess.ROUTER, RouterAccess.TOKEN_FILE, RouterAccess.UPSTREAM_CA));

    public static ParameterBuilder<ShadowParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, ShadowParameters::of);
    }

    private static ShadowParameters of(ParameterValues v) {
        return new ShadowParameters(v.url("primary"), v.url("shadow"), v.text("listen"), v.whole("requests"),
                v.duration("duration"), v.path("replay"), v.text("replayPath"), v.text("log"),
                PayloadMode.valueOf(v.text("payload").toUpperCase(Locale.ROOT)),
                CompareMode.valueOf(v.text("compare").toUpperCase(Locale.ROOT)), v.number("tolerance"),
                v.number("maxDisagreement"), v.number("maxShadowErrorRate"), v.number("maxLatencyRatio"),
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v.whole("mirrorQueue"))), v.duration("mirrorTimeout"),
                v.url("router"), v.path("routerTokenFile"), v.path("upstreamCa"));
    }

    /** What {@link ShadowStep} runs, which checks how the values fit together; the files and the log in {@code directory}. */
    public ShadowConfig config(Path directory) {
        return new ShadowConfig(primary, shadow, listen, requests, duration, LogUrl.resolve(log, directory), payload, compare,
                tolerance, maxDisagreement, maxShadowErrorRate, maxLatencyRatio, replay == null ? null : directory.resolve(replay),
                replayPath, mirrorQueue, mirrorTimeout, router, upstreamCa == null ? null : directory.resolve(upstreamCa));
    }
}
