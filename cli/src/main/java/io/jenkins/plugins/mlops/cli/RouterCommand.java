package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.router.HeaderRoute;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.router.Stickiness;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops router}: runs the embedded router until stopped (SIGINT/SIGTERM), then drains its log. */
@Command(name = "router", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the embedded traffic router in front of model servers: weighted, sticky or header-matched"
            + " routing, mirroring to a shadow, request ids, POST /feedback, Prometheus metrics at /metrics, and an"
            + " admin API (GET/PUT /admin/weights) when an admin token is given. Runs until stopped.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  stopped", "  2  bad input or usage", "  3  cannot listen or open the log database"})
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

    @Option(names = "--event-loops", paramLabel = "N", description = "Event-loop threads (default: one per CPU).")
    Integer eventLoops;

    @Mixin
    PredictionLogOptions log;

    @Override
    public Integer call() throws InterruptedException {
        if (stickyHeader != null && stickyCookie != null) {
            throw new BadInputException("give --sticky-header or --sticky-cookie, not both");
        }
        RouterConfig.Builder builder = RouterConfig.builder().listen(listen)
                .weights(KeyValueOptions.parse(weights, "--weight", RouterCommand::percent)).mirror(mirror).mirrorQueue(mirrorQueue)
                .stateFile(state).adminToken(adminToken).upstreamTimeout(upstreamTimeout).log(log.jdbcUrl()).payloadMode(log.payload)
                .stickiness(stickyHeader != null ? Stickiness.header(stickyHeader)
                        : stickyCookie != null ? Stickiness.cookie(stickyCookie) : null);
        if (eventLoops != null) {
            builder.eventLoops(eventLoops);
        }
        KeyValueOptions.parse(variants, "--variant", url -> url).forEach(builder::variant);
        routes.forEach(route -> builder.route(HeaderRoute.parse(route)));
        Router router = Router.start(builder.build(), PredictionLogOptions.credentials(System.getenv()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            router.close();
            stopped.countDown();
        }, "mlops-router-stop"));
        spec.commandLine().getErr().println("mlops router: listening on " + router.uri() + ", weights " + router.weights()
                + (mirror == null ? "" : ", mirroring to " + mirror) + (adminToken == null ? "" : ", admin API on"));
        stopped.await();
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
