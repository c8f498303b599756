package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.router.ConnectionLimits;
import io.jenkins.plugins.mlops.deploy.router.HeaderRoute;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.router.Stickiness;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.PositiveDurations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops router}: runs the embedded router until stopped. SIGINT or SIGTERM stops it
 * gracefully (new connections refused, requests in flight finished within the grace period,
 * the log written out) with exit 0; a router that can no longer serve exits 3.
 */
@Command(name = "router", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the embedded traffic router in front of model servers: weighted, sticky or header-matched"
            + " routing, mirroring to a shadow, request ids, POST /feedback, Prometheus metrics at /metrics, and an"
            + " admin API (GET/PUT /admin/weights) when an admin token is given. Runs until stopped.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  stopped (SIGINT or SIGTERM)", "  2  bad input or usage",
            "  3  cannot listen or open the log database, or the router died (a thread it needs ended)"})
public final class RouterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where to listen (default ${DEFAULT-VALUE}: loopback; 0.0.0.0:8080 to serve other hosts).")
    String listen;

    @Option(names = "--variant", required = true, paramLabel = "NAME=URL",
            description = "A model server (repeatable), e.g. stable=http://127.0.0.1:5001; the first is the fallback.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--weight", paramLabel = "NAME=PERCENT",
            description = "Share of traffic (repeatable, sum 100); default all to the first variant. A state file's weights win.")
    List<String> weights = new ArrayList<>();

    @Option(names = "--sticky-header", paramLabel = "HEADER", description = "Keep a user on one variant by this header's value.")
    String stickyHeader;

    @Option(names = "--sticky-cookie", paramLabel = "COOKIE", description = "Keep a user on one variant by this cookie's value.")
    String stickyCookie;

    @Option(names = "--route", paramLabel = "HEADER:VALUE=VARIANT",
            description = "Send requests whose HEADER is VALUE to VARIANT, before weights (repeatable).")
    List<String> routes = new ArrayList<>();

    @Option(names = "--mirror", paramLabel = "URL", description = "A shadow that gets a copy of every request.")
    URI mirror;

    @Option(names = "--mirror-queue", paramLabel = "N", defaultValue = "1024",
            description = "Mirrored requests queued or in flight; more are dropped and counted (default ${DEFAULT-VALUE}).")
    int mirrorQueue;

    @Option(names = "--state", paramLabel = "FILE", description = "Persist the weights here; a restart resumes at them.")
    Path state;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Turns the admin API on; prefer the environment variable MLOPS_ADMIN_TOKEN over the command line.")
    String adminToken;

    @Option(names = "--upstream-timeout", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
            description = "A variant silent for D gets the client a 504 (default ${DEFAULT-VALUE}).")
    Duration upstreamTimeout;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "CA certificates (PEM) trusted for https variants and the mirror besides the JVM's trust store,"
                + " e.g. the private CA of a KServe or Istio gateway; host names are always verified.")
    Path upstreamCa;

    @Option(names = "--event-loops", paramLabel = "N", description = "Event-loop threads (default: one per CPU).")
    Integer eventLoops;

    @Option(names = "--header-timeout", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
            description = "A connection must send a complete request head within D of opening or of its last answer,"
                + " else it is closed; this is also how long an idle keep-alive connection stays (default ${DEFAULT-VALUE}).")
    Duration headerTimeout;

    @Option(names = "--body-timeout", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
            description = "A request body must arrive whole within D of its head, else the connection is closed"
                + " (default ${DEFAULT-VALUE}).")
    Duration bodyTimeout;

    @Option(names = "--idle-timeout", paramLabel = "D", defaultValue = "120s", converter = DurationConverter.class,
            description = "A connection on which no byte moves either way for D is closed, e.g. a client that stops reading"
                + " its answer; never less than --upstream-timeout plus 1s (default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Client connections open at once; more are closed as soon as accepted (default: half of what the"
                + " open-files limit leaves after 256, at most 10000).")
    Integer maxConnections;

    @Option(names = "--grace-period", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
            description = "On SIGINT/SIGTERM, how long requests in flight get to finish (default ${DEFAULT-VALUE}).")
    Duration gracePeriod;

    @Mixin
    PredictionLogOptions log;

    @Override
    public Integer call() throws Exception {
        if (stickyHeader != null && stickyCookie != null) {
            throw new BadInputException("give --sticky-header or --sticky-cookie, not both");
        }
        PositiveDurations.require(headerTimeout, "--header-timeout");
        PositiveDurations.require(bodyTimeout, "--body-timeout");
        PositiveDurations.require(idleTimeout, "--idle-timeout");
        if (maxConnections != null && maxConnections < 1) {
            throw new BadInputException("--max-connections must be at least 1, not " + maxConnections);
        }
        if (gracePeriod.isNegative()) {
            throw new BadInputException("--grace-period: " + gracePeriod + " is negative");
        }
        RouterConfig.Builder builder = RouterConfig.builder().listen(listen)
                .weights(KeyValueOptions.parse(weights, "--weight", RouterCommand::percent)).mirror(mirror).mirrorQueue(mirrorQueue)
                .stateFile(state).adminToken(adminToken).upstreamTimeout(upstreamTimeout).upstreamCa(upstreamCa).log(log.jdbcUrl()).payloadMode(log.payload)
                .stickiness(stickyHeader != null ? Stickiness.header(stickyHeader)
                        : stickyCookie != null ? Stickiness.cookie(stickyCookie) : null);
        if (eventLoops != null) {
            builder.eventLoops(eventLoops);
        }
        builder.limits(new ConnectionLimits(headerTimeout, bodyTimeout, idleTimeout,
                maxConnections != null ? maxConnections : ConnectionLimits.defaults().maxConnections()));
        KeyValueOptions.parse(variants, "--variant", url -> url).forEach(builder::variant);
        routes.forEach(route -> builder.route(HeaderRoute.parse(route)));
        Router router = Router.start(builder.build(), PredictionLogOptions.credentials(System.getenv()));
        // From now on a signal is a stop, not the JVM's exit 143.
        CompletableFuture<String> stop = new CompletableFuture<>();
        StopSignals.install(stop::complete);
        // Any other way out of the JVM still writes out the log (close is idempotent).
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "mlops-router-stop"));
        var err = spec.commandLine().getErr();
        err.println("mlops router: listening on " + router.uri() + ", weights " + router.weights()
                + (mirror == null ? "" : ", mirroring to " + mirror) + (adminToken == null ? "" : ", admin API on"));
        err.flush();
        CompletableFuture<String> died = router.failure().toCompletableFuture();
        CompletableFuture.anyOf(stop, died).get();
        if (died.isDone()) {
            err.println("mlops router: fatal: " + died.get());
            err.flush();
            router.close();
            return ExitCodes.INFRASTRUCTURE;
        }
        err.println("mlops router: " + stop.get() + ": stopping, requests in flight get " + gracePeriod.toMillis() + " ms");
        err.flush();
        boolean drained = router.stop(gracePeriod);
        err.println("mlops router: stopped" + (drained ? "" : "; requests still in flight after the grace period were cut off"));
        err.flush();
        return ExitCodes.PASSED;
    }

    private static Integer percent(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("--weight: '" + text + "' is not a whole percent");
        }
    }
}
