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
    /** The bin index of counts[0]. */
    private long first;
    /** The smallest and largest bin counted. */
    private long lo;
    private long hi;
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
        if (bin < lo || bin > hi) {
            grow(bin);
            bin = (long) Math.floor(x * scale); // the grid may have coarsened
            lo = Math.min(lo, bin);
            hi = Math.max(hi, bin);
        }
        counts[(int) (bin - first)]++;
    }

    /** The first grid, from the first two distinct values: the finest with their range in a quarter of the span. */
    private void start(double low, double high) {
        int fine = Math.getExponent((high - low) / (SPAN / 4));
        log2 = integral ? Math.max(0, fine) : fine;
        scale = Math.scalb(1.0, -log2);
        counts = new long[SPAN]; // allocated once: the grid coarsens instead of the array growing
        lo = (long) Math.floor(low * scale);
        hi = (long) Math.floor(high * scale);
        first = lo - (SPAN - (hi - lo + 1)) / 2;
        counts[(int) ((long) Math.floor(only * scale) - first)] += count;
        if (integral && log2 > 0 && onInexact != null) {
            onInexact.accept(only);
        }
    }

    /** Makes room for {@code bin}: the array slides over the bins, or, where their range outgrows it, the grid coarsens. */
    private void grow(long bin) {
        while (Math.max(hi, bin) - Math.min(lo, bin) + 1 > SPAN) {
            coarsen();
            bin = Math.floorDiv(bin, 2);
        }
        long newLo = Math.min(lo, bin);
        long newHi = Math.max(hi, bin);
        if (newLo >= first && newHi < first + SPAN) {
            return;
        }
        // Room on the side the bins grow to: data sorted by this column (a key) then slides once per coarsening.
        slide(bin > hi ? newLo : newHi - SPAN + 1);
    }

    /** Moves the counted bins so that counts[0] is bin {@code newFirst}. */
    private void slide(long newFirst) {
        int from = (int) (lo - first);
        int to = (int) (lo - newFirst);
        int length = (int) (hi - lo + 1);
        System.arraycopy(counts, from, counts, to, length);
        if (to > from) {
            java.util.Arrays.fill(counts, from, Math.min(to, from + length), 0);
        } else {
            java.util.Arrays.fill(counts, Math.max(to + length, from), from + length, 0);
        }
        first = newFirst;
    }

    private void coarsen() {
        if (integral && log2 == 0 && onInexact != null) {
            forEachValue((value, n) -> onInexact.accept(value));
        }
        long[] coarser = new long[SPAN];
        long newLo = Math.floorDiv(lo, 2);
        long newHi = Math.floorDiv(hi, 2);
        long newFirst = newLo - (SPAN - (newHi - newLo + 1)) / 2;
        for (long bin = lo; bin <= hi; bin++) {
            coarser[(int) (Math.floorDiv(bin, 2) - newFirst)] += counts[(int) (bin - first)];
        }
        counts = coarser;
        first = newFirst;
        lo = newLo;
        hi = newHi;
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
        for (long bin = lo; bin <= hi; bin++) {
            long n = counts[(int) (bin - first)];
            if (n > 0) {
                action.accept(bin, n);
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
        for (long bin = lo; bin <= hi; bin++) {
            long n = counts[(int) (bin - first)];
            if (n > 0) {
                out.merge(shift == 63 ? (bin < 0 ? -1L : 0L) : bin >> shift, n, Long::sum);
            }
        }
        return out;
    }
}
