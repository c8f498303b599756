package io.jenkins.plugins.mlops.deploy.shadow;

import java.util.ArrayList;
import java.util.List;

/** Shared equal-width bins over both samples, so that the two bar charts line up. */
final class Histograms {
    private Histograms() {}

    static Distribution shared(double[] primary, double[] shadow, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] sample : new double[][] {primary, shadow}) {
            for (double v : sample) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min == max) {
            bins = 1;
            max = min + 1;
        }
        double width = (max - min) / bins;
        List<String> edges = new ArrayList<>();
        for (int i = 0; i <= bins; i++) {
            edges.add(io.jenkins.plugins.mlops.report.Html.number(min + i * width));
        }
        return new Distribution("numeric", edges, counts(primary, min, width, bins), counts(shadow, min, width, bins));
    }

    private static List<Long> counts(double[] sample, double min, double width, int bins) {
        long[] counts = new long[bins];
        for (double v : sample) {
            counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        List<Long> out = new ArrayList<>(bins);
        for (long c : counts) {
            out.add(c);
        }
        return out;
    }
}
