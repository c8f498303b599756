package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The reference and the current data profiled at the same time by the arrow engine (issue 25):
 * it needs no grid from the reference before the current's pass, and DuckDB converts a query's
 * rows to Arrow on one thread, so one file at a time leaves the other cores idle while Java
 * waits for batches. Each file gets its own DuckDB connection with half the threads and half the
 * memory limit (two passes together use what one used before: the machine is not oversubscribed,
 * and memory stays what {@code --memory-limit} says), and its own Java workers (half as many).
 *
 * <p>Failures are reported in the order of the files' scans one after the other: the reference's
 * first, then the current's; neither engine closes while a pass still reads from it.
 */
final class TogetherPasses {
    private final ColumnarProfiler columnar;
    private final Future<ColumnarProfiler.Pass> pass;

    private TogetherPasses(ColumnarProfiler columnar, Future<ColumnarProfiler.Pass> pass) {
        this.columnar = columnar;
        this.pass = pass;
    }

    /** Whether the two files can be profiled together: the arrow engine, a reference file and at least two threads to share. */
    static boolean apply(EngineSettings settings, DataSource reference) {
        return reference != null && EngineSettings.ARROW.equals(settings.engineName()) && settings.effectiveThreads() >= 2;
    }

    /** Each file's share of the machine: half the threads and half the memory limit. */
    static EngineSettings half(EngineSettings settings) {
        return new EngineSettings(Math.max(1, settings.memoryLimitBytes() / 2_000_000) + "MB", Math.max(1, settings.effectiveThreads() / 2),
                null, EngineSettings.ARROW);
    }

    /** Starts the current data's pass on a thread of its own; {@code unique} are the columns whose exact distinct count a given schema asks for. */
    static TogetherPasses start(ArrowEngine engine, Profiler profiler, DataSource data, List<Profiler.Column> columns, Set<String> unique,
            Consumer<String> progress) {
        ColumnarProfiler columnar = new ColumnarProfiler(engine, profiler, progress);
        ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "mlops-current-pass");
            t.setDaemon(true);
            return t;
        });
        try {
            return new TogetherPasses(columnar, thread.submit(() -> columnar.pass(data, engine.relation(data), columns, unique)));
        } finally {
            thread.shutdown();
        }
    }

    /**
     * Profiles the reference on this thread while the current's pass runs, and returns once both
     * have ended: the reference's failure first, else the current's.
     */
    Profile besides(Supplier<Profile> reference) {
        Profile profile;
        try {
            profile = reference.get();
        } catch (RuntimeException | Error e) {
            try {
                await();
            } catch (RuntimeException | Error ignored) {
                // the reference's failure is the one reported, as when it was scanned first
            }
            throw e;
        }
        await();
        return profile;
    }

    /** The current data's profile and the extras its schema asks for, from the pass. */
    Profiler.Scan finish(Profiler.Extras wanted) {
        return columnar.finish(await(), wanted);
    }

    private ColumnarProfiler.Pass await() {
        try {
            return pass.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new InfrastructureException("the current data's pass failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while profiling the current data", e);
        }
    }
}
