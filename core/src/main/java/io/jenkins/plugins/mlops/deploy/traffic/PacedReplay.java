package io.jenkins.plugins.mlops.deploy.traffic;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load generator: replays request bodies at a fixed rate through the router while a
 * rollout or an experiment runs, as clients would. At most {@code maxInFlight} requests wait at
 * once; a tick that finds them all busy is skipped and counted, so a slow server never piles
 * requests up. What the clients saw (2xx, 4xx, 5xx, no answer) is counted for the report.
 */
public final class PacedReplay implements AutoCloseable {
    private final URI target;
    private final List<String> bodies;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mlops-replay");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore inFlight;
    private final Duration timeout;
    private final long limit;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /** What the replay's clients saw. */
    public record Stats(long sent, long ok, long clientErrors, long serverErrors, long failed, long skipped) implements Serializable {}

    private PacedReplay(URI target, List<String> bodies, int maxInFlight, Duration timeout, long limit) {
        this.target = target;
        this.bodies = bodies;
        this.inFlight = new Semaphore(maxInFlight);
        this.timeout = timeout;
        this.limit = limit;
    }

    /** Starts sending {@code ratePerSecond} requests a second to {@code target} (the router's URL plus the path). */
    public static PacedReplay start(URI target, List<String> bodies, double ratePerSecond, int maxInFlight, Duration timeout) {
        return start(target, bodies, ratePerSecond, maxInFlight, timeout, Long.MAX_VALUE);
    }

    /** The same, sending {@code limit} requests in all and then no more (e.g. {@code mlops ab --requests N}). */
    public static PacedReplay start(URI target, List<String> bodies, double ratePerSecond, int maxInFlight, Duration timeout,
            long limit) {
        if (!(ratePerSecond > 0) || ratePerSecond > 100_000) {
            throw new BadInputException("--replay-rate must be within (0, 100000] requests a second");
        }
        PacedReplay replay = new PacedReplay(target, bodies, maxInFlight, timeout, limit);
        long periodMicros = Math.max(10, (long) (1_000_000 / ratePerSecond));
        replay.ticks.scheduleAtFixedRate(replay::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
        return replay;
    }

    /** Runs on the one tick thread, so the count it checks is the count it takes from. */
    private void sendOne() {
        if (next.get() >= limit) {
            ticks.shutdown();
            return;
        }
        if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        String body = bodies.get((int) (next.getAndIncrement() % bodies.size()));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error != null) {
                failed.incrementAndGet();
            } else if (response.statusCode() >= 500) {
                serverErrors.incrementAndGet();
            } else if (response.statusCode() >= 400) {
                clientErrors.incrementAndGet();
            } else {
                ok.incrementAndGet();
            }
        });
    }

    public Stats stats() {
        long answered = ok.get() + clientErrors.get() + serverErrors.get() + failed.get();
        return new Stats(answered, ok.get(), clientErrors.get(), serverErrors.get(), failed.get(), skipped.get());
    }

    /** Stops sending and waits (bounded by the request timeout) for the requests in flight. */
    @Override
    public void close() {
        ticks.shutdownNow();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && stats().sent() < next.get()) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
