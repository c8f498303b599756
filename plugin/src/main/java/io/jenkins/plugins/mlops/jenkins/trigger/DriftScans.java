package io.jenkins.plugins.mlops.jenkins.trigger;

import hudson.security.ACL;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.mlops.data.EngineSettings;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jenkins.security.ImpersonatingExecutorService;

/**
 * Where drift scans run on the controller: their own two threads and a short queue, not Jenkins'
 * shared {@code Timer} (whose 10 threads also run every other periodic task), and a small DuckDB
 * budget instead of the engine's default, since the controller's heap and processors serve the UI
 * and every build.
 */
final class DriftScans {
    static final int THREADS = 2;
    static final int QUEUE = 8;
    static final EngineSettings ENGINE = new EngineSettings("256MB", 1);

    private final ExecutorService executor;

    DriftScans(int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                new NamingThreadFactory(new DaemonThreadFactory(), "mlops drift scan"));
        pool.allowCoreThreadTimeOut(true);
        this.executor = new ImpersonatingExecutorService(pool, ACL.SYSTEM2);
    }

    private static final DriftScans SHARED = new DriftScans(THREADS, QUEUE);

    static DriftScans shared() {
        return SHARED;
    }

    /** Queues a scan; false when the queue is full, so a flood of triggers cannot pile up work. */
    boolean submit(Runnable scan) {
        try {
            executor.execute(scan);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
