package io.jenkins.plugins.mlops.gate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The paired bootstrap of candidate-minus-baseline differences. Each resample draws n rows with
 * replacement from the n hold-out rows (an exact multinomial draw, not the Poisson
 * approximation) and scores BOTH models on the same drawn rows, so the noise that the two models
 * share (hard examples, label noise) cancels in the difference. A resample is represented by how
 * many times each row was drawn, and every metric is computed as a weighted pass over the rows
 * (ranking metrics walk a sort order made once), which is exactly the metric of the resampled
 * data set without copying it.
 *
 * <p>Resample {@code b} draws from its own generator seeded from {@code (seed, b)}, so the result
 * depends on the seed only, not on the number of threads or their timing.
 */
final class PairedBootstrap {
    private PairedBootstrap() {}

    /**
     * @return per metric (in the evaluators' order), the difference candidate - baseline of each resample
     */
    static double[][] differences(MetricEvaluator baseline, MetricEvaluator candidate, int rows, int resamples,
            long seed, Consumer<String> progress) {
        int metrics = candidate.metrics().size();
        double[][] differences = new double[metrics][resamples];
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), resamples));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "mlops-gate-bootstrap");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int reportEvery = Math.max(1, resamples / 10);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    int[] counts = new int[rows];
                    for (int b = next.getAndIncrement(); b < resamples; b = next.getAndIncrement()) {
                        draw(counts, seed, b);
                        double[] base = baseline.evaluate(counts);
                        double[] cand = candidate.evaluate(counts);
                        for (int m = 0; m < metrics; m++) {
                            differences[m][b] = cand[m] - base[m];
                        }
                        // Counted and printed under one lock: otherwise a thread can print 200/1000 before another prints 100.
                        synchronized (done) {
                            int finished = done.incrementAndGet();
                            if (finished % reportEvery == 0 || finished == resamples) {
                                progress.accept("gate: bootstrap " + finished + "/" + resamples + " resamples");
                            }
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the bootstrap was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a bootstrap worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return differences;
    }

    /** Fills {@code counts} with how often each of the n rows is drawn in n draws with replacement. */
    static void draw(int[] counts, long seed, int resample) {
        Arrays.fill(counts, 0);
        // Mixing the resample index through an odd constant and one generator step gives each
        // resample an unrelated stream; seed + b would give SplittableRandom overlapping streams.
        SplittableRandom random = new SplittableRandom(
                new SplittableRandom(seed ^ ((resample + 1L) * 0xD1B54A32D192ED03L)).nextLong());
        int n = counts.length;
        // Lemire's multiply-and-shift with rejection: exactly uniform on [0, n) without a division per draw.
        long rejectBelow = (0x1_0000_0000L - n) % n;
        for (int i = 0; i < n; i++) {
            long product = (random.nextInt() & 0xFFFF_FFFFL) * n;
            while ((product & 0xFFFF_FFFFL) < rejectBelow) {
                product = (random.nextInt() & 0xFFFF_FFFFL) * n;
            }
            counts[(int) (product >>> 32)]++;
        }
    }

    /**
     * The percentile interval at this confidence, interpolating linearly between order statistics
     * as numpy's default {@code percentile} does; {@code null} if any resample left the metric
     * undefined (e.g. a resample of a tiny set with one class), because the gate will not guess.
     */
    static double[] percentileInterval(double[] values, double confidence) {
        double[] sorted = values.clone();
        for (double v : sorted) {
            if (Double.isNaN(v)) {
                return null;
            }
        }
        Arrays.sort(sorted);
        double tail = (1 - confidence) / 2;
        return new double[] {quantile(sorted, tail), quantile(sorted, 1 - tail)};
    }

    static int undefinedCount(double[] values) {
        int count = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                count++;
            }
        }
        return count;
    }

    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
