package io.jenkins.plugins.mlops.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed-edge histogram whose bin width is a power of two and whose edges are multiples of it:
 * bin {@code i} holds values in {@code [(first_bin + i) * w, (first_bin + i + 1) * w)} with
 * {@code w = 2^bin_width_log2}. Because every grid nests in every coarser one, two histograms
 * merge exactly (coarsen the finer, add counts), which quantile sketches built from samples
 * cannot promise, and DuckDB computes one in a single aggregate per column. Size is bounded by
 * {@link #MAX_BINS}, never by rows.
 */
public record NumericHistogram(int binWidthLog2, long firstBin, long[] counts) implements Serializable {
    /** Enough resolution for drift and quantiles (at least 256 bins over the range), small in JSON. */
    public static final int MAX_BINS = 512;

    public NumericHistogram {
        counts = counts.clone();
    }

    /** The grid exponent for values in {@code [min, max]}: the finest with at most {@link #MAX_BINS} bins. */
    static int widthLog2For(double min, double max, boolean integral) {
        double span = max - min;
        int log2 = span <= 0 ? 0 : Math.getExponent(span / (MAX_BINS - 2)) + 1;
        if (integral) {
            log2 = Math.max(log2, 0); // integers need no bin narrower than 1
        }
        while (binCount(min, max, log2) > MAX_BINS) {
            log2++;
        }
        return log2;
    }

    static long binIndex(double value, int log2) {
        return (long) Math.floor(Math.scalb(value, -log2));
    }

    private static long binCount(double min, double max, int log2) {
        return binIndex(max, log2) - binIndex(min, log2) + 1;
    }

    public double binWidth() {
        return Math.scalb(1.0, binWidthLog2);
    }

    public double lowerEdge(int bin) {
        return Math.scalb((double) (firstBin + bin), binWidthLog2);
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Each value's count, of a histogram of integers in bins one wide. */
    Map<Long, Long> countsByValue() {
        if (binWidthLog2 != 0) {
            throw new IllegalStateException("bins " + binWidth() + " wide hold more than one value each");
        }
        Map<Long, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.put((long) lowerEdge(i), counts[i]);
            }
        }
        return out;
    }

    /** The same data on a coarser grid ({@code log2 >= bin_width_log2}); exact. */
    public NumericHistogram coarsenTo(int log2) {
        if (log2 < binWidthLog2) {
            throw new IllegalArgumentException("can only coarsen, not refine: " + log2 + " < " + binWidthLog2);
        }
        long factor = 1L << Math.min(62, log2 - binWidthLog2);
        long first = Math.floorDiv(firstBin, factor);
        long last = Math.floorDiv(firstBin + counts.length - 1, factor);
        long[] coarse = new long[(int) (last - first + 1)];
        for (int i = 0; i < counts.length; i++) {
            coarse[(int) (Math.floorDiv(firstBin + i, factor) - first)] += counts[i];
        }
        return new NumericHistogram(log2, first, coarse);
    }

    /** The histogram of both datasets together: exact, then coarsened until it fits {@link #MAX_BINS}. */
    public NumericHistogram merge(NumericHistogram other) {
        Aligned aligned = align(this, other, MAX_BINS);
        long[] sum = new long[aligned.reference().length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = aligned.reference()[i] + aligned.current()[i];
        }
        return new NumericHistogram(aligned.binWidthLog2(), aligned.firstBin(), sum);
    }

    /** Two histograms on one common grid, e.g. to compare a reference and the current data. */
    public record Aligned(int binWidthLog2, long firstBin, long[] reference, long[] current) {
        public double binWidth() {
            return Math.scalb(1.0, binWidthLog2);
        }
    }

    static Aligned align(NumericHistogram reference, NumericHistogram current, int maxBins) {
        int log2 = Math.max(reference.binWidthLog2, current.binWidthLog2);
        while (true) {
            NumericHistogram a = reference.coarsenTo(log2);
            NumericHistogram b = current.coarsenTo(log2);
            long first = Math.min(a.firstBin, b.firstBin);
            long last = Math.max(a.firstBin + a.counts.length, b.firstBin + b.counts.length) - 1;
            if (last - first + 1 <= maxBins) {
                return new Aligned(log2, first, a.spread(first, last), b.spread(first, last));
            }
            log2++;
        }
    }

    private long[] spread(long first, long last) {
        long[] out = new long[(int) (last - first + 1)];
        System.arraycopy(counts, 0, out, (int) (firstBin - first), counts.length);
        return out;
    }

    /**
     * The {@code p}-quantile, interpolated linearly inside its bin and kept within the exact
     * range, so its error is at most one bin width.
     */
    public double quantile(double p, double min, double max) {
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        double target = p * total;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && cumulative + counts[i] >= target) {
                double within = (target - cumulative) / counts[i];
                double value = lowerEdge(i) + within * binWidth();
                return Math.max(min, Math.min(max, value));
            }
            cumulative += counts[i];
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericHistogram h && h.binWidthLog2 == binWidthLog2 && h.firstBin == firstBin
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * binWidthLog2 + Long.hashCode(firstBin)) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "NumericHistogram[2^" + binWidthLog2 + ", first=" + firstBin + ", bins=" + counts.length + ", total=" + total() + "]";
    }
}
