package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.result.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares the current data's profile with the reference's, column by column. Works from
 * profiles only, so the reference can be data or a saved profile.
 */
final class DriftDetector {
    /** Grid used to compare two histograms: fine enough that binning error stays far below the thresholds. */
    private static final int COMPARISON_BINS = 2 * NumericHistogram.MAX_BINS;
    /** Bars in the report's chart. */
    private static final int CHART_BARS = 32;
    private static final String OTHER = "(other)";

    private final DriftThresholds thresholds;

    DriftDetector(DriftThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** One entry per column of the current data that the reference also has, in the data's order. */
    List<ColumnDrift> compare(Profile reference, Profile current, Schema schema) {
        Map<String, ColumnProfile> referenceColumns = reference.byName();
        List<ColumnDrift> drifts = new ArrayList<>();
        for (ColumnProfile now : current.columns()) {
            ColumnProfile before = referenceColumns.get(now.name());
            if (before == null) {
                continue;
            }
            drifts.add(compare(before, now, schema.columns().get(now.name())));
        }
        return withVerdicts(drifts);
    }

    private ColumnDrift compare(ColumnProfile before, ColumnProfile now, ColumnSchema declared) {
        if (declared != null && declared.keyColumn() || before.idLike()) {
            return ColumnDrift.notTested(now.name(), "ID-like: new keys are expected");
        }
        if (declared != null && !declared.driftTested()) {
            return ColumnDrift.notTested(now.name(), "excluded by the schema (drift: false)");
        }
        if (before.type().isTemporal() || now.type().isTemporal()) {
            return ColumnDrift.notTested(now.name(), "date/time: moves forward by nature");
        }
        if (before.freeText()) {
            return ColumnDrift.notTested(now.name(), "free text: most values occur once, so new values are expected");
        }
        // What follows cannot be tested; it never passes as "no drift" (fail closed).
        if (before.values() == 0 || now.values() == 0) {
            return before.values() == now.values()
                    ? ColumnDrift.untestable(now.name(), Status.WARN, "no values in either dataset: nothing to compare")
                    : ColumnDrift.untestable(now.name(), Status.FAIL, now.values() == 0
                            ? String.format(Locale.ROOT, "every value is missing now; the reference had %,d", before.values())
                            : String.format(Locale.ROOT, "the reference had no values; now %,d", now.values()));
        }
        if (before.type().isNumeric() != now.type().isNumeric()) {
            return ColumnDrift.untestable(now.name(), Status.FAIL,
                    "type changed from " + before.type().schemaName() + " to " + now.type().schemaName());
        }
        if (before.histogram() != null && now.histogram() != null && before.histogram().total() > 0 && now.histogram().total() > 0) {
            return numeric(before, now);
        }
        if (before.categories() != null && now.categories() != null && before.categories().total() > 0 && now.categories().total() > 0) {
            return categorical(before, now.categories());
        }
        if (before.categories() != null && before.categories().total() > 0 && !now.type().isNumeric()) {
            // The current data has too many distinct values to count (more than the category
            // limit) where the reference had few: compare as if every current value were new,
            // rather than leave the column untested.
            return categorical(before, new CategoryCounts(Map.of(), now.rows() - now.nulls()));
        }
        String missing = now.type().isNumeric() ? "histogram" : "category counts";
        return ColumnDrift.untestable(now.name(), Status.FAIL, (before.type().isNumeric() && before.histogram() == null
                || !before.type().isNumeric() && before.categories() == null ? "the reference profile" : "the current profile")
                + " has no " + missing + " for this column; profile the reference again with mlops profile");
    }

    private ColumnDrift numeric(ColumnProfile before, ColumnProfile now) {
        NumericHistogram.Aligned aligned = NumericHistogram.align(before.histogram(), now.histogram(), COMPARISON_BINS);
        long[] ref = aligned.reference();
        long[] cur = aligned.current();
        double width = aligned.binWidth();
        // Normalised by the reference's spread so one threshold fits every unit; a constant
        // reference falls back to the bin width, so any movement counts as large.
        double scale = before.numeric().std() > 0 ? before.numeric().std() : width;
        double value = TwoSampleTests.wasserstein(ref, cur, width) / scale;
        long n = sum(ref);
        long m = sum(cur);
        double p = TwoSampleTests.ksPValue(TwoSampleTests.ksStatistic(ref, cur), n, m);
        NumericHistogram.Aligned chart = NumericHistogram.align(before.histogram(), now.histogram(), CHART_BARS);
        List<String> bins = new ArrayList<>();
        for (int i = 0; i < chart.reference().length; i++) {
            bins.add(edge(Math.scalb((double) (chart.firstBin() + i), chart.binWidthLog2())));
        }
        return new ColumnDrift(now.name(), true, null, "wasserstein_normed", value, thresholds.numeric().warn(),
                thresholds.numeric().fail(), "ks", p, null, n, m, Status.PASS, bins, shares(chart.reference()), shares(chart.current()));
    }

    private ColumnDrift categorical(ColumnProfile before, CategoryCounts now) {
        Map<String, long[]> table = new LinkedHashMap<>();
        before.categories().counts().forEach((value, count) -> table.computeIfAbsent(value, k -> new long[2])[0] += count);
        now.counts().forEach((value, count) -> table.computeIfAbsent(value, k -> new long[2])[1] += count);
        if (before.categories().other() + now.other() > 0) {
            long[] other = table.computeIfAbsent(OTHER, k -> new long[2]);
            other[0] += before.categories().other();
            other[1] += now.other();
        }
        long[] ref = table.values().stream().mapToLong(c -> c[0]).toArray();
        long[] cur = table.values().stream().mapToLong(c -> c[1]).toArray();
        double value = TwoSampleTests.jensenShannon(ref, cur);
        double p = TwoSampleTests.chiSquare(ref, cur)[1];
        List<String> labels = new ArrayList<>(table.keySet());
        int bars = Math.min(CHART_BARS, labels.size());
        return new ColumnDrift(before.name(), true, null, "jensen_shannon", value, thresholds.categorical().warn(),
                thresholds.categorical().fail(), "chi_square", p, null, sum(ref), sum(cur), Status.PASS,
                // Copies, not subList views: results are serialized (agent to controller, the build's saved state).
                new ArrayList<>(labels.subList(0, bars)), List.copyOf(shares(ref).subList(0, bars)),
                List.copyOf(shares(cur).subList(0, bars)));
    }

    /** Corrects the p-values of all tested columns together, then gives each its verdict. */
    private List<ColumnDrift> withVerdicts(List<ColumnDrift> drifts) {
        double[] pValues = drifts.stream().filter(ColumnDrift::tested).mapToDouble(ColumnDrift::pValue).toArray();
        double[] adjusted = TwoSampleTests.benjaminiHochberg(pValues);
        List<ColumnDrift> out = new ArrayList<>();
        int next = 0;
        for (ColumnDrift drift : drifts) {
            if (!drift.tested()) {
                out.add(drift);
                continue;
            }
            double q = adjusted[next++];
            boolean significant = q < thresholds.alpha();
            Status verdict = !significant || drift.value() < drift.warnThreshold() ? Status.PASS
                    : drift.value() < drift.failThreshold() ? Status.WARN : Status.FAIL;
            out.add(drift.withVerdict(q, verdict));
        }
        return out;
    }

    private static List<Double> shares(long[] counts) {
        double total = sum(counts);
        List<Double> out = new ArrayList<>(counts.length);
        for (long count : counts) {
            out.add(total == 0 ? 0 : count / total);
        }
        return out;
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    private static String edge(double value) {
        return Math.abs(value) >= 1e6 || (value != 0 && Math.abs(value) < 1e-3)
                ? String.format(Locale.ROOT, "%.3g", value)
                : String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
