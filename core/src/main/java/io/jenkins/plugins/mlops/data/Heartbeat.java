package io.jenkins.plugins.mlops.data;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Says every few seconds that a long scan is still running: DuckDB's JDBC driver reports no
 * progress of a query, and a build log that stays silent for minutes looks hung.
 */
final class Heartbeat {
    private static final long INTERVAL_MILLIS = 10_000;

    private Heartbeat() {}

    static <T> T during(String what, Consumer<String> progress, Supplier<T> work) {
        return during(what, progress, work, INTERVAL_MILLIS);
    }

    static <T> T during(String what, Consumer<String> progress, Supplier<T> work, long intervalMillis) {
        long started = System.nanoTime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mlops-scan-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> progress.accept(String.format(Locale.ROOT, "  still %s (%.0f s)", what,
                (System.nanoTime() - started) / 1e9)), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        try {
            return work.get();
        } finally {
            stop(timer);
        }
    }

    /** Waits for a message being printed right now, so none comes after the work's own output. */
    private static void stop(ScheduledExecutorService timer) {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
