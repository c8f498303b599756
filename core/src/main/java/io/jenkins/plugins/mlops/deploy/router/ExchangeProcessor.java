package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.deploy.log.PredictionRow;
import io.jenkins.plugins.mlops.deploy.payload.Predictions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes finished exchanges off the event loop: parses predictions, fills the variant windows,
 * hands rows to the prediction log and tells listeners, on one thread behind a bounded queue.
 * When the queue is full an exchange is served but not recorded, and counted.
 */
final class ExchangeProcessor implements AutoCloseable {
    private record MirrorPair(Exchange primary, Exchange shadow) {}

    private static final Object STOP = new Object();
    /**
     * At least a millisecond between looks at an empty queue: under load a shorter park (it was
     * 50 us) woke this thread once or twice a request, and those wake-ups took the CPU that the
     * event loop shares with it. Exchanges are recorded a millisecond later at worst.
     */
    private static final long MIN_PARK_NANOS = 1_000_000;
    private static final long MAX_PARK_NANOS = 10_000_000;

    private final VariantWindows windows;
    private final PredictionLog log;
    private final PayloadMode payloadMode;
    private final BlockingQueue<Object> queue;
    private final List<ExchangeListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong unrecorded = new AtomicLong();
    private final Thread thread;

    ExchangeProcessor(VariantWindows windows, PredictionLog log, PayloadMode payloadMode, int capacity) {
        this.windows = windows;
        this.log = log;
        this.payloadMode = payloadMode;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "mlops-router-recorder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void addListener(ExchangeListener listener) {
        listeners.add(listener);
    }

    void removeListener(ExchangeListener listener) {
        listeners.remove(listener);
    }

    void served(Exchange exchange) {
        offer(exchange);
    }

    void mirrored(Exchange primary, Exchange shadow) {
        offer(new MirrorPair(primary, shadow));
    }

    long unrecorded() {
        return unrecorded.get();
    }

    /** Waits until everything submitted before this call is recorded; false after {@code timeout}. */
    boolean awaitRecorded(Duration timeout) {
        long target = submitted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void offer(Object event) {
        if (queue.offer(event)) {
            submitted.incrementAndGet();
        } else {
            unrecorded.incrementAndGet();
        }
    }

    private void run() {
        long idleNanos = MIN_PARK_NANOS;
        while (true) {
            // Polls and parks instead of blocking on the queue: an offer then never has to wake
            // this thread, which would cost the event loop a system call per request.
            Object event = queue.poll();
            if (event == STOP) {
                return;
            }
            if (event == null) {
                // Backs off while idle, so that an idle router does not spin on the machine.
                LockSupport.parkNanos(idleNanos);
                idleNanos = Math.min(idleNanos * 2, MAX_PARK_NANOS);
                if (Thread.interrupted()) {
                    return;
                }
                continue;
            }
            idleNanos = MIN_PARK_NANOS;
            try {
                if (event instanceof Exchange exchange) {
                    record(exchange);
                    listeners.forEach(listener -> listener.onExchange(exchange));
                } else if (event instanceof MirrorPair pair) {
                    record(pair.shadow());
                    listeners.forEach(listener -> listener.onMirrored(pair.primary(), pair.shadow()));
                }
            } catch (RuntimeException e) {
                // A listener's bug must not stop recording for everyone else.
                System.err.println("mlops router: recording failed: " + e);
            } finally {
                processed.incrementAndGet();
            }
        }
    }

    private void record(Exchange exchange) {
        boolean answered = exchange.status() >= 200 && exchange.status() < 300 && !exchange.truncated();
        if (log == null) {
            // Nobody needs the predictions now: the window parses them if a judge asks.
            windows.record(exchange, answered ? exchange.response() : null);
            return;
        }
        double[] predictions = answered ? Predictions.numericPredictions(exchange.response()) : new double[0];
        windows.record(exchange, predictions);
        log.append(new PredictionRow(exchange.requestId(), exchange.variant(), exchange.receivedAt(), exchange.status(),
                exchange.latencyMs(), payloadMode.apply(exchange.request()),
                responseColumn(exchange),
                predictions.length == 0 ? null : predictions[0], exchange.mirrored()));
    }

    /** The answer as the log keeps it: whole up to {@link Exchange#KEPT_BYTES}, else only its length. */
    private static String responseColumn(Exchange exchange) {
        if (exchange.truncated()) {
            return "truncated: " + exchange.responseLength() + " bytes";
        }
        return exchange.response().length == 0 ? null : new String(exchange.response(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        awaitRecorded(Duration.ofSeconds(10));
        try {
            queue.put(STOP);
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
