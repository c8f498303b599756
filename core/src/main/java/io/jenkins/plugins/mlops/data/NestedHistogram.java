package io.jenkins.plugins.mlops.data;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts finite values in one pass on a power-of-two grid that coarsens itself as their range
 * grows, so that no range is needed before the pass. The bin of a value on the grid of width
 * {@code 2^log2} is {@code floor(x * 2^-log2)}, the key the SQL profiler counts; grids nest (a bin
 * of width {@code 2^(k+1)} is exactly two of width {@code 2^k}), so the counts on any coarser grid,
 * the profile's own among them, are exact sums of these. It holds at most {@link #SPAN} bins: a
 * grid that fine is at least 16x finer than the profile's {@link NumericHistogram#MAX_BINS}, so the
 * profile's grid, chosen from the final range, is never finer than this one.
 */
final class NestedHistogram {
    static final int SPAN = 1 << 14;

    private final boolean integral;
    /** Told each distinct value once, when integer bins stop being one value wide (null: nobody listens). */
    private final java.util.function.DoubleConsumer onInexact;
    private long count;
    private double only; // the one value seen, until a second distinct one fixes the first grid
    private int log2;
    private double scale;
    private long first;
    private long[] counts;

    NestedHistogram(boolean integral, java.util.function.DoubleConsumer onInexact) {
        this.integral = integral;
        this.onInexact = onInexact;
    }

    /** Whether bins are still one value wide: integers counted exactly, each bin one value. */
    boolean exact() {
        return counts == null || integral && log2 == 0;
    }

    int log2() {
        return counts == null ? 0 : log2;
    }

    void add(double x) {
        if (counts == null) {
            if (count == 0 || x == only) {
                only = x;
                count++;
                return;
            }
            start(Math.min(only, x), Math.max(only, x));
        }
        long bin = (long) Math.floor(x * scale);
        long index = bin - first;
        if (index < 0 || index >= counts.length) {
            grow(bin);
            index = (long) Math.floor(x * scale) - first; // the grid may have coarsened

        }
        counts[(int) index]++;
    }

    /** The first grid, from the first two distinct values: the finest with their range in a quarter of the span. */
    private void start(double low, double high) {
        int fine = Math.getExponent((high - low) / (SPAN / 4)) ;
        log2 = integral ? Math.max(0, fine) : fine;
        scale = Math.scalb(1.0, -log2);
        first = (long) Math.floor(low * scale);
        counts = new long[(int) ((long) Math.floor(high * scale) - first + 1)];
        counts[(int) ((long) Math.floor(only * scale) - first)] += count;
        if (integral && log2 > 0 && onInexact != null) {
            onInexact.accept(only);
        }
    }

    private void grow(long bin) {
        long lo = Math.min(first, bin);
        long hi = Math.max(first + counts.length - 1, bin);
        while (hi - lo + 1 > SPAN) {
            coarsen();
            bin = Math.floorDiv(bin, 2);
            lo = Math.min(first, bin);
            hi = Math.max(first + counts.length - 1, bin);
        }
        long[] wider = new long[(int) (hi - lo + 1)];
        System.arraycopy(counts, 0, wider, (int) (first - lo), counts.length);
        counts = wider;
        first = lo;
    }

    private void coarsen() {
        if (integral && log2 == 0 && onInexact != null) {
            forEachValue((value, n) -> onInexact.accept(value));
        }
        long lo = Math.floorDiv(first, 2);
        long hi = Math.floorDiv(first + counts.length - 1, 2);
        long[] coarser = new long[(int) (hi - lo + 1)];
        for (int i = 0; i < counts.length; i++) {
            coarser[(int) (Math.floorDiv(first + i, 2) - lo)] += counts[i];
        }
        counts = coarser;
        first = lo;
        log2++;
        scale = Math.scalb(1.0, -log2);
    }

    /** Each value's count while the bins are one value wide ({@link #exact}); the values as bin indexes of width 1. */
    void forEachValue(java.util.function.BiConsumer<Long, Long> action) {
        if (counts == null) {
            if (count > 0) {
                action.accept((long) Math.floor(only), count);
            }
            return;
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                action.accept(first + i, counts[i]);
            }
        }
    }

    /** The counts on the grid of width {@code 2^target} (bin index to count), which must not be finer than this one's. */
    Map<Object, Long> on(int target) {
        Map<Object, Long> out = new HashMap<>();
        if (counts == null) {
            if (count > 0) {
                out.put((long) Math.floor(Math.scalb(only, -target)), count);
            }
            return out;
        }
        if (target < log2) {
            throw new IllegalStateException("the profile's grid 2^" + target + " is finer than the counted 2^" + log2);
        }
        int shift = Math.min(63, target - log2);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.merge(shift == 63 ? (first + i < 0 ? -1L : 0L) : (first + i) >> shift, counts[i], Long::sum);
            }
        }
        return out;
    }
}
