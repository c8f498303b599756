package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.log.LogStats;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The embedded traffic router: an HTTP reverse proxy in front of model servers (the proxied path a
 * netty pipeline of its own, {@link FrontServer}; the rest Vert.x behind it), with
 * weighted, sticky and header-matched routing, asynchronous mirroring to a shadow, request ids,
 * feedback, Prometheus metrics, an admin API and persisted weights. Start one with
 * {@link #start(RouterConfig)}; {@link #close()} stops it and drains the prediction log.
 */
public final class Router implements RouterControl, AutoCloseable {
    /** What a shadow step outside the router may read back: enough for a minute at 1,000 req/s. */
    private static final int JOURNAL_ENTRIES = 100_000;
    private static final long JOURNAL_BYTES = 64L << 20;
    /** How long a step that started its own router gives the requests in flight when it ends. */
    public static final Duration STEP_END_GRACE = Duration.ofSeconds(10);

    private final RouterConfig config;
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
    private final AtomicReference<Upstream> mirrorUpstream = new AtomicReference<>();
    private final ExchangeJournal journal;
    private final RouterStateFile stateFile;
    private final AtomicReference<Weights> weights;
    private final RouteSelector selector;
    private final RouterMetrics metrics;
    private final VariantWindows windows = new VariantWindows(200_000);
    private final PredictionLog log;
    private final ExchangeProcessor processor;
    private final FeedbackApi feedback;
    private final AdminApi admin;
    private final Semaphore mirrorSlots;
    private final UpstreamTls upstreamTls;
    private final Handovers handovers = new Handovers();
    private final AtomicLong mirrorSent = new AtomicLong();
    private final AtomicLong mirrorFailed = new AtomicLong();
    private final AtomicLong mirrorDropped = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile boolean draining;
    private volatile boolean stopping;
    private volatile int port;
    private volatile int behindPort;
    private MirrorVerticle mirror;
    private FrontServer front;
    private Vertx vertx;
    private boolean closed;

    private Router(RouterConfig config, PredictionLog log) {
        this.config = config;
        // First: a CA file that cannot be read is bad input, found before anything listens.
        this.upstreamTls = UpstreamTls.of(config.upstreamCa());
        config.variants().forEach((name, url) -> upstreams.put(name, Upstream.of(name, url)));
        this.stateFile = config.stateFile() == null ? null : new RouterStateFile(config.stateFile());
        RouterStateFile.State saved = stateFile == null ? null : stateFile.load(config.variants().keySet()).orElse(null);
        this.weights = new AtomicReference<>(saved != null ? saved.weights() : Weights.of(config.variants().keySet(), config.weights()));
        URI mirror = saved != null && saved.mirrorSaved() ? saved.mirror() : config.mirror();
        if (saved != null) {
            saved.variants().forEach((name, url) -> upstreams.put(name, Upstream.of(name, url)));
        }
        this.mirrorUpstream.set(mirror == null ? null : Upstream.of(RouterConfig.MIRROR_VARIANT, mirror));
        this.selector = new RouteSelector(config.headerRoutes(), config.stickiness());
        this.metrics = new RouterMetrics(config.variants().keySet(), this.weights::get);
        this.log = log;
        this.processor = new ExchangeProcessor(windows, log, config.payloadMode(), 65_536);
        this.metrics.watchUnrecorded(processor::unrecorded);
        this.journal = new ExchangeJournal(JOURNAL_ENTRIES, JOURNAL_BYTES, () -> mirrorUpstream.get() != null);
        if (config.adminToken() != null) {
            processor.addListener(journal);
        }
        if (log != null) {
            metrics.watch(log);
        }
        this.feedback = new FeedbackApi(log);
        this.admin = new AdminApi(this, config.adminToken());
        this.mirrorSlots = new Semaphore(config.mirrorQueue());
    }

    /** Starts the router; returns once it listens. A state file's weights win over the config's. */
    public static Router start(RouterConfig config) {
        return start(config, new Properties());
    }

    /** As {@link #start(RouterConfig)}, with the log database's credentials (user, password). */
    public static Router start(RouterConfig config, Properties logCredentials) {
        PredictionLog log = config.logJdbcUrl() == null ? null
                : PredictionLog.open(config.logJdbcUrl(), logCredentials, PredictionLog.Settings.defaults());
        Router router;
        try {
            router = new Router(config, log);
        } catch (RuntimeException e) {
            if (log != null) {
                log.close();
            }
            throw e;
        }
        if (router.stateFile != null) {
            router.saveState();
        }
        router.listen();
        return router;
    }

    private void listen() {
        loadWhatStarvationWouldNeed();
        // An admin API can turn a mirror on later: its event loop is there from the start.
        boolean mirroring = mirrorUpstream.get() != null || config.adminToken() != null;
        // Vert.x serves only what the front hands it (admin API, /metrics, /feedback, unusual
        // requests) and the mirror: one event loop each; the proxied path has the front's loops.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1 + (mirroring ? 1 : 0))
                .setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            if (mirroring) {
                // Deployed first, it takes the first event loop; the proxies take the others.
                mirror = new MirrorVerticle(this);
                await(vertx.deployVerticle(mirror).toCompletionStage().toCompletableFuture());
            }
            int[] behind = new int[1];
            await(vertx.deployVerticle(new ProxyVerticle(this, Handovers.HOST, 0, actual -> behind[0] = actual))
                    .toCompletionStage().toCompletableFuture());
            behindPort = behind[0];
            front = new FrontServer(this, (VertxInternal) vertx, config.eventLoops(), new InetSocketAddress(Handovers.HOST, behind[0]));
            port = front.bind(config.listenHost(), config.listenPort());
            watchThreads();
        } catch (RuntimeException e) {
            close();
            throw new InfrastructureException("router: cannot listen on " + config.listenHost() + ":" + config.listenPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads now what the logger needs later: with the descriptors used up, the JDK cannot open its
     * time-zone data, and an Error while Netty logs the failed accept would kill the accepting thread.
     */
    private static void loadWhatStarvationWouldNeed() {
        ZoneId.systemDefault().getRules();
        LogRecord record = new LogRecord(Level.WARNING, "warm-up {0}");
        record.setParameters(new Object[] {"accept"});
        record.setThrown(new java.io.IOException("Too many open files"));
        new SimpleFormatter().format(record);
    }

    /** An event loop that ends while the router runs (an Error killed it) is fatal: see {@link #failure()}. */
    private void watchThreads() {
        VertxInternal internal = (VertxInternal) vertx;
        for (EventExecutor loop : front.acceptors()) {
            loop.terminationFuture().addListener(ended -> died("the thread that accepts connections"));
        }
        for (EventExecutor loop : front.loops()) {
            loop.terminationFuture().addListener(ended -> died("an event loop"));
        }
        for (EventExecutor loop : internal.getAcceptorEventLoopGroup()) {
            loop.terminationFuture().addListener(ended -> died("the thread that accepts connections"));
        }
        for (EventExecutor loop : internal.getEventLoopGroup()) {
            loop.terminationFuture().addListener(ended -> died("an event loop"));
        }
    }

    private void died(String what) {
        if (!stopping) {
            failure.complete(what + " of the router on " + config.listenHost() + ":" + port
                    + " died; it cannot serve any more and must be restarted");
        }
    }

    /**
     * Completes, with what happened, when the router can no longer serve although nobody stopped
     * it (a thread it needs died). Whoever runs it should then exit non-zero, not keep a dead router.
     */
    public CompletionStage<String> failure() {
        return failure;
    }

    /**
     * Stops gracefully: new connections are refused, the requests in flight (and one more on each
     * open connection, answered with {@code Connection: close}) get up to {@code grace} to finish,
     * then {@link #close()}. True when every request in flight finished within the grace period.
     */
    public boolean stop(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        boolean drained = inFlight.get() == 0;
        close();
        return drained;
    }

    private static void await(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public RouterConfig config() {
        return config;
    }

    public String host() {
        return config.listenHost();
    }

    public int port() {
        return port;
    }

    /** The router's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String host = config.listenHost().contains(":") ? "[" + config.listenHost() + "]" : config.listenHost();
        return URI.create("http://" + host + ":" + port);
    }

    /** The weights now, in the variants' order. */
    @Override
    public Map<String, Integer> weights() {
        return weights.get().asMap();
    }

    /**
     * Validates and applies new weights: persisted first (when there is a state file), then
     * switched in one step; on any failure nothing changes. Variants not named get 0.
     */
    @Override
    public synchronized void setWeights(Map<String, Integer> requested) {
        Weights next = Weights.of(config.variants().keySet(), requested);
        if (stateFile != null) {
            stateFile.save(next, mirrorTarget(), variants());
        }
        weights.set(next);
    }

    /** Where copies go now, or null when the router mirrors nothing. */
    public URI mirrorTarget() {
        Upstream upstream = mirrorUpstream.get();
        return upstream == null ? null : upstream.url();
    }

    /**
     * Turns mirroring on to {@code target}, or off with null: persisted first (when there is a state
     * file), then switched; copies already in flight finish. A router started without an admin
     * token or a mirror has no mirror event loop and cannot turn one on.
     */
    public synchronized void setMirror(URI target) {
        if (target != null) {
            RouterConfig.checkUpstream(RouterConfig.MIRROR_VARIANT, target);
            if (mirror == null && vertx != null) {
                throw new IllegalStateException("this router was started without a mirror or an admin token; it cannot mirror");
            }
        }
        if (stateFile != null) {
            stateFile.save(weights.get(), target, variants());
        }
        mirrorUpstream.set(target == null ? null : Upstream.of(RouterConfig.MIRROR_VARIANT, target));
    }

    private void saveState() {
        stateFile.save(weights.get(), mirrorTarget(), variants());
    }

    /** Where each variant's requests go now, in the configuration's order. */
    public Map<String, URI> variants() {
        Map<String, URI> now = new LinkedHashMap<>();
        config.variants().keySet().forEach(name -> now.put(name, upstreams.get(name).url()));
        return now;
    }

    /**
     * Points {@code variant} at another model server, e.g. this build's candidate: only while it has
     * no traffic (weight 0), so no client is switched mid-stream; persisted first, like the weights.
     *
     * @throws BadInputException for a variant the router does not have, or a URL that is not http(s)
     * @throws IllegalStateException while the variant has traffic
     */
    public synchronized void setVariant(String variant, URI url) {
        if (!config.variants().containsKey(variant)) {
            throw new BadInputException("no variant '" + variant + "'; the router has " + config.variants().keySet());
        }
        RouterConfig.checkUpstream(variant, url);
        int weight = weights.get().asMap().getOrDefault(variant, 0);
        if (weight > 0) {
            throw new IllegalStateException("variant '" + variant + "' has " + weight + "% of the traffic; set its weight to 0"
                    + " before pointing it elsewhere");
        }
        Map<String, URI> next = variants();
        next.put(variant, url);
        if (stateFile != null) {
            stateFile.save(weights.get(), mirrorTarget(), next);
        }
        upstreams.put(variant, Upstream.of(variant, url));
    }

    /** The journal of exchanges a shadow step outside the router reads; its entries are kept while a mirror is on. */
    ExchangeJournal journal() {
        return journal;
    }

    /** What {@code variant} served with requests received in {@code [from, to)}; "shadow" for the mirror. */
    @Override
    public VariantWindow observe(String variant, Instant from, Instant to) {
        processor.awaitRecorded(Duration.ofSeconds(2));
        return windows.observe(variant, from, to);
    }

    public MirrorStats mirrorStats() {
        return new MirrorStats(mirrorSent.get(), mirrorFailed.get(), mirrorDropped.get(),
                config.mirrorQueue() - mirrorSlots.availablePermits());
    }

    /** The prediction log's counters, or null when the router has no log. */
    public LogStats logStats() {
        return log == null ? null : log.stats();
    }

    /** Exchanges served but not recorded (windows, log, listeners) because the recorder was behind. */
    public long unrecorded() {
        return processor.unrecorded();
    }

    public void addListener(ExchangeListener listener) {
        processor.addListener(listener);
    }

    public void removeListener(ExchangeListener listener) {
        processor.removeListener(listener);
    }

    /** Waits until no mirrored copy is in flight and everything served is recorded; false after {@code timeout}. */
    public boolean awaitQuiet(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (mirrorSlots.availablePermits() < config.mirrorQueue()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(5);
        }
        return processor.awaitRecorded(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Waits until the prediction log has written every row accepted so far. */
    public boolean awaitLogWritten(Duration timeout) {
        return log == null || log.awaitWritten(timeout);
    }

    /** The Prometheus text exposition of the router's metrics (what {@code GET /metrics} serves). */
    public String scrape() {
        return metrics.scrape();
    }

    /** Stops listening, records what was served and writes the prediction log's buffer (bounded waits). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        if (front != null) {
            front.stopListening();
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Stopping anyway: the log below still gets its chance to drain.
            }
            vertx = null;
        }
        if (front != null) {
            front.close();
            front = null;
        }
        processor.close();
        if (log != null) {
            log.close();
        }
    }

    // --- for the verticles ---

    /** Counts a new client connection; false (and not counted) when it must be refused: over the limit or stopping. */
    boolean connectionOpened() {
        if (draining) {
            return false;
        }
        if (connections.incrementAndGet() > config.limits().maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Client connections open now. */
    int openConnections() {
        return connections.get();
    }

    /** The threads that accept client connections, for tests that break them. */
    Iterable<EventExecutor> acceptors() {
        return front.acceptors();
    }

    /** Vert.x underneath, for tests that break its threads. */
    Vertx vertx() {
        return vertx;
    }

    AtomicInteger inFlight() {
        return inFlight;
    }

    boolean draining() {
        return draining;
    }

    Weights currentWeights() {
        return weights.get();
    }

    RouteSelector selector() {
        return selector;
    }

    /** The connections the front hands to the Vert.x server behind it. */
    Handovers handovers() {
        return handovers;
    }

    /** The loopback port of the Vert.x server behind the front, for tests that try to go round the front. */
    int behindPort() {
        return behindPort;
    }

    /** How https upstreams are trusted, for the front's connections and Vert.x's clients alike. */
    UpstreamTls upstreamTls() {
        return upstreamTls;
    }

    Upstream upstream(String variant) {
        return upstreams.get(variant);
    }

    MirrorVerticle mirror() {
        return mirror;
    }

    Upstream mirrorUpstream() {
        return mirrorUpstream.get();
    }

    /**
     * Where a copy in a reserved mirror-queue slot goes now, counted as sent; null, and the slot
     * freed without counting, when the mirror was turned off since the slot was reserved.
     */
    Upstream sendMirrorCopy() {
        Upstream target = mirrorUpstream.get();
        if (target == null) {
            mirrorSlots.release();
        } else {
            mirrorSent();
        }
        return target;
    }

    RouterMetrics metrics() {
        return metrics;
    }

    ExchangeProcessor processor() {
        return processor;
    }

    FeedbackApi feedback() {
        return feedback;
    }

    AdminApi admin() {
        return admin;
    }

    private void mirrorSent() {
        mirrorSent.incrementAndGet();
        metrics.mirrorSent();
    }

    private void mirrorFailed() {
        mirrorFailed.incrementAndGet();
        metrics.mirrorFailed();
    }

    /** A place in the mirror queue (false without a mirror), or false and the copy counted as dropped when it is full. */
    boolean reserveMirrorSlot() {
        if (mirrorUpstream() == null) {
            return false;
        }
        if (mirrorSlots.tryAcquire()) {
            return true;
        }
        mirrorDropped.incrementAndGet();
        metrics.mirrorDropped();
        return false;
    }

    /**
     * Records the shadow's answer to the copy of {@code primary}'s request (status 0: none came),
     * sent at {@code sentAt} and answered {@code nanos} later, and frees the copy's mirror-queue slot.
     */
    void mirrored(Exchange primary, long sentAt, int status, long nanos, byte[] body, long length) {
        Exchange shadow = new Exchange(primary.requestId(), RouterConfig.MIRROR_VARIANT, sentAt, status, nanos / 1e6,
                primary.request(), body, length, true);
        if (shadow.failed()) {
            mirrorFailed();
        }
        metrics.served(RouterConfig.MIRROR_VARIANT, status, nanos);
        processor.mirrored(primary, shadow);
        // Released after the copy is handed to the recorder: whoever sees the queue empty in
        // awaitQuiet then also waits for the copy to be recorded.
        mirrorSlots.release();
    }

    /** Records an answered (or, with status 0, unanswered) request in the metrics and the exchange journal. */
    Exchange served(String requestId, String variant, long receivedAt, long startNanos, int status, byte[] request,
            byte[] response, long responseLength) {
        long nanos = System.nanoTime() - startNanos;
        Exchange exchange = new Exchange(requestId, variant, receivedAt, status, nanos / 1e6, request, response, responseLength,
                false);
        metrics.served(variant, status, nanos);
        processor().served(exchange);
        return exchange;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
