package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.PositiveDurations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the embedded router needs, validated once. Variants keep their order: the first is
 * the fallback (stable) that a request goes to when the variant it was routed to refuses the
 * connection. Build one with {@link #builder()}.
 *
 * @param listenHost where the router listens; loopback unless told otherwise
 * @param listenPort 0 for a free port (see {@link Router#port()})
 * @param variants variant name to upstream base URL, e.g. stable → http://127.0.0.1:5001
 * @param weights variant name to percent of traffic, summing to 100 (a state file may override them)
 * @param stickiness null for random assignment per request
 * @param headerRoutes checked in order before the weights
 * @param mirror the shadow that gets a copy of every request, or null
 * @param mirrorQueue mirrored requests queued or in flight at once; more are dropped and counted
 * @param mirrorTimeout how long a mirrored request may take before it counts as a shadow error
 * @param upstreamTimeout how long the primary may stay silent before the client gets a 504
 * @param logJdbcUrl the prediction log, or null for none
 * @param payloadMode how much of each request the log keeps
 * @param stateFile where weights persist across restarts, or null
 * @param adminToken the admin API's bearer token; null keeps the admin API off
 * @param eventLoops Vert.x event-loop threads serving requests
 * @param maxBodyBytes the largest request body the router takes (answers are streamed, not buffered)
 * @param limits timeouts and the connection limit that keep slow or idle clients from holding the router
 * @param upstreamCa a PEM file of CA certificates trusted for https upstreams besides the JVM's trust store, or null
 */
public record RouterConfig(String listenHost, int listenPort, Map<String, URI> variants, Map<String, Integer> weights,
        Stickiness stickiness, List<HeaderRoute> headerRoutes, URI mirror, int mirrorQueue, Duration mirrorTimeout,
        Duration upstreamTimeout, String logJdbcUrl, PayloadMode payloadMode, Path stateFile, String adminToken,
        int eventLoops, int maxBodyBytes, ConnectionLimits limits, Path upstreamCa) {

    public static final String MIRROR_VARIANT = "shadow";

    public RouterConfig {
        Objects.requireNonNull(listenHost, "listenHost");
        if (listenPort < 0 || listenPort > 65535) {
            throw new BadInputException("listen: port " + listenPort + " is not in 0..65535");
        }
        if (variants == null || variants.isEmpty()) {
            throw new BadInputException("router: give at least one variant NAME=URL");
        }
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        variants.forEach(RouterConfig::checkUpstream);
        if (mirror != null) {
            checkUpstream(MIRROR_VARIANT, mirror);
            if (variants.containsKey(MIRROR_VARIANT)) {
                throw new BadInputException("variant name '" + MIRROR_VARIANT + "' is reserved for the mirror target");
            }
        }
        weights = Weights.of(variants.keySet(), weights == null || weights.isEmpty() ? firstTakesAll(variants) : weights).asMap();
        headerRoutes = headerRoutes == null ? List.of() : List.copyOf(headerRoutes);
        for (HeaderRoute route : headerRoutes) {
            if (!variants.containsKey(route.variant())) {
                throw new BadInputException("route " + route.header() + ":" + route.value() + " names unknown variant '"
                        + route.variant() + "'; variants are " + variants.keySet());
            }
        }
        if (mirrorQueue < 1) {
            throw new BadInputException("mirror queue: " + mirrorQueue + " is not a positive size");
        }
        payloadMode = payloadMode == null ? PayloadMode.FULL : payloadMode;
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        if (eventLoops < 1 || maxBodyBytes < 1) {
            throw new BadInputException("router: event loops and body size must be positive");
        }
        PositiveDurations.require(mirrorTimeout, "--mirror-timeout");
        PositiveDurations.require(upstreamTimeout, "--upstream-timeout");
        limits = limits == null ? ConnectionLimits.defaults() : limits;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first variant: where traffic goes when a variant refuses connections. */
    public String fallbackVariant() {
        return variants.keySet().iterator().next();
    }

    /** Never prints the admin token. */
    @Override
    public String toString() {
        return "RouterConfig[listen=" + listenHost + ":" + listenPort + ", variants=" + variants + ", weights=" + weights
                + ", stickiness=" + stickiness + ", headerRoutes=" + headerRoutes + ", mirror=" + mirror
                + ", log=" + PredictionLog.redacted(logJdbcUrl)
                + ", payload=" + payloadMode + ", stateFile=" + stateFile + ", admin=" + (adminToken == null ? "off" : "on")
                + (upstreamCa == null ? "" : ", upstreamCa=" + upstreamCa) + "]";
    }

    private static Map<String, Integer> firstTakesAll(Map<String, URI> variants) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        variants.keySet().forEach(name -> weights.put(name, weights.isEmpty() ? 100 : 0));
        return weights;
    }

    static void checkUpstream(String name, URI url) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new BadInputException("variant name '" + name + "': use 1-64 letters, digits, '_', '.' or '-'");
        }
        if (url == null || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new BadInputException("variant " + name + ": '" + url + "' is not an http(s)://HOST[:PORT] URL");
        }
    }

    /** A fluent way to a {@link RouterConfig}, with the defaults a user would want. */
    public static final class Builder {
        private String listenHost = "127.0.0.1";
        private int listenPort = 8080;
        private final Map<String, URI> variants = new LinkedHashMap<>();
        private final Map<String, Integer> weights = new LinkedHashMap<>();
        private Stickiness stickiness;
        private final List<HeaderRoute> headerRoutes = new ArrayList<>();
        private URI mirror;
        private int mirrorQueue = 1024;
        private Duration mirrorTimeout = Duration.ofSeconds(10);
        private Duration upstreamTimeout = Duration.ofSeconds(60);
        private String logJdbcUrl;
        private PayloadMode payloadMode = PayloadMode.FULL;
        private Path stateFile;
        private String adminToken;
        private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int maxBodyBytes = 64 * 1024 * 1024;
        private ConnectionLimits limits;
        private Path upstreamCa;

        public Builder listen(String host, int port) {
            this.listenHost = host;
            this.listenPort = port;
            return this;
        }

        /** {@code HOST:PORT}, {@code :PORT} (loopback) or {@code [::1]:PORT}. */
        public Builder listen(String hostAndPort) {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon < 0) {
                throw new BadInputException("listen '" + hostAndPort + "': give HOST:PORT, e.g. 127.0.0.1:8080");
            }
            String host = hostAndPort.substring(0, colon).replace("[", "").replace("]", "");
            try {
                return listen(host.isEmpty() ? "127.0.0.1" : host, Integer.parseInt(hostAndPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new BadInputException("listen '" + hostAndPort + "': the port is not a number");
            }
        }

        public Builder variant(String name, URI url) {
            if (variants.putIfAbsent(name, url) != null) {
                throw new BadInputException("variant '" + name + "' is given twice");
            }
            return this;
        }

        public Builder variant(String name, String url) {
            try {
                return variant(name, URI.create(url));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("variant " + name + ": '" + url + "' is not a URL");
            }
        }

        public Builder weight(String name, int percent) {
            weights.put(name, percent);
            return this;
        }

        public Builder weights(Map<String, Integer> all) {
            weights.clear();
            weights.putAll(all);
            return this;
        }

        public Builder stickiness(Stickiness value) {
            this.stickiness = value;
            return this;
        }

        public Builder route(HeaderRoute route) {
            headerRoutes.add(route);
            return this;
        }

        public Builder mirror(URI url) {
            this.mirror = url;
            return this;
        }

        public Builder mirrorQueue(int size) {
            this.mirrorQueue = size;
            return this;
        }

        public Builder mirrorTimeout(Duration timeout) {
            this.mirrorTimeout = timeout;
            return this;
        }

        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = timeout;
            return this;
        }

        public Builder log(String jdbcUrl) {
            this.logJdbcUrl = jdbcUrl;
            return this;
        }

        public Builder payloadMode(PayloadMode mode) {
            this.payloadMode = mode;
            return this;
        }

        public Builder stateFile(Path file) {
            this.stateFile = file;
            return this;
        }

        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        public Builder eventLoops(int threads) {
            this.eventLoops = threads;
            return this;
        }

        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Null (the default) for {@link ConnectionLimits#defaults()}. */
        public Builder limits(ConnectionLimits value) {
            this.limits = value;
            return this;
        }

        /** CA certificates (PEM) trusted for https upstreams besides the JVM's; null (the default) for the JVM's alone. */
        public Builder upstreamCa(Path pemFile) {
            this.upstreamCa = pemFile;
            return this;
        }

        public RouterConfig build() {
            return new RouterConfig(listenHost, listenPort, variants, weights, stickiness, headerRoutes, mirror, mirrorQueue,
                    mirrorTimeout, upstreamTimeout, logJdbcUrl, payloadMode, stateFile, adminToken, eventLoops, maxBodyBytes, limits,
                    upstreamCa);
        }
    }
}
