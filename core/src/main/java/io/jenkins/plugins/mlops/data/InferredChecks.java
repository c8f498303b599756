package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks of a column whose limits were inferred from a reference sample
 * ({@code inferred_from}): missing values, rows outside the range and new categories fail only
 * beyond what that sample's size explains ({@link SamplingTolerance}), gross values always. Each
 * check says what it tolerated and why.
 */
final class InferredChecks {
    /**
     * The chance that any inferred check fails on data from the reference's own population, at
     * most (Bonferroni over the schema's inferred checks).
     */
    static final double FAMILY_FALSE_ALARM = 0.01;
    /** A value this many times larger than any the reference held is a broken unit or a sentinel, not a tail. */
    static final double GROSS_MAGNITUDE = 10;

    /** The false-alarm probability of each inferred check. */
    private final double alpha;

    InferredChecks(Schema schema) {
        long checks = schema.columns().values().stream().filter(ColumnSchema::inferred)
                .mapToLong(c -> (c.maxNullFraction() != null ? 1 : 0) + (SchemaChecks.hasRange(c) ? 1 : 0) + (c.categories() != null ? 1 : 0))
                .sum();
        this.alpha = FAMILY_FALSE_ALARM / Math.max(1, checks);
    }

    Check missing(String name, ColumnSchema expected, ColumnProfile actual) {
        ColumnSchema.InferredFrom reference = expected.inferredFrom();
        long before = Math.min(reference.rows(), Math.round(expected.maxNullFraction() * reference.rows()));
        long count = actual.nulls() + actual.nan() + actual.empty();
        long tolerated = SamplingTolerance.events(before, reference.rows(), actual.rows(), alpha);
        boolean allMissing = count == actual.rows() && before < reference.rows();
        boolean ok = count <= tolerated && !allMissing;
        String expectedText = String.format(Locale.ROOT, "<= %,d of %,d (reference: %,d of %,d)", tolerated, actual.rows(), before,
                reference.rows());
        String message;
        if (allMissing) {
            message = "Every value is missing; the reference had values.";
        } else if (ok) {
            message = count * reference.rows() <= before * actual.rows() ? "No more missing values than in the reference."
                    : String.format(Locale.ROOT, "More missing values than the reference's share, within what a reference of %,d rows"
                            + " explains.", reference.rows());
        } else {
            message = String.format(Locale.ROOT, "%s A reference with %,d missing of %,d rows explains at most %,d (false alarm p < %s).",
                    SchemaChecks.missingMessage(actual), before, reference.rows(), tolerated, probability(alpha));
        }
        return Check.of("null_fraction", name, ok ? Status.PASS : Status.FAIL, SchemaChecks.missingObserved(actual), expectedText, message);
    }

    /** @param outside rows outside {@code [min, max]}, counted in the profiling scan */
    Check range(String name, ColumnSchema expected, ColumnProfile actual, long outside, String observed) {
        long values = actual.values();
        long reference = expected.inferredFrom().values();
        long tolerated = SamplingTolerance.outsideRange(reference, values, alpha);
        String expectedText = String.format(Locale.ROOT, "%s, <= %,d of %,d outside", SchemaChecks.range(expected), tolerated, values);
        List<String> gross = gross(expected, actual.numeric());
        String share = percent(2.0 / (reference + 1));
        if (!gross.isEmpty()) {
            return Check.of("range", name, Status.FAIL, observed, expectedText, String.join("; ", gross) + ": no sample explains that.");
        }
        if (outside > tolerated) {
            return Check.of("range", name, Status.FAIL, observed, expectedText, String.format(Locale.ROOT,
                    "%,d values are outside the reference's range; a reference of %,d values leaves about %s of new values outside"
                            + " by chance, at most %,d here (false alarm p < %s).", outside, reference, share, tolerated, probability(alpha)));
        }
        return Check.of("range", name, Status.PASS, observed, expectedText, outside == 0 ? "All values are within the reference's range."
                : String.format(Locale.ROOT, "%,d values are outside the reference's range, within what a reference of %,d values explains"
                        + " (about %s of new values fall outside it by chance).", outside, reference, share));
    }

    /**
     * Values no sample of the reference's population explains, however small the reference: a
     * negative value where the reference had none (a -999 sentinel, a sign slip), or one an order
     * of magnitude beyond any the reference held (a unit slip, 99999). Read off the profile's
     * extremes, so they cost no aggregate of their own.
     */
    private static List<String> gross(ColumnSchema expected, NumericStats now) {
        List<String> gross = new ArrayList<>();
        if (now == null || expected.min() == null || expected.max() == null) {
            return gross;
        }
        if (expected.min() >= 0 && now.min() < 0) {
            gross.add("values as low as " + Numbers.format(now.min()) + " where the reference had no negative value");
        }
        double largest = GROSS_MAGNITUDE * Math.max(Math.abs(expected.min()), Math.abs(expected.max()));
        double extreme = Math.abs(now.min()) > Math.abs(now.max()) ? now.min() : now.max();
        if (largest > 0 && Math.abs(extreme) > largest) {
            gross.add("values as far out as " + Numbers.format(extreme) + ", beyond ±" + Numbers.format(largest)
                    + ", ten times the reference's largest magnitude");
        }
        return gross;
    }

    Check categories(String name, ColumnSchema expected, ColumnProfile actual, long newRows, String observed) {
        ColumnSchema.InferredFrom reference = expected.inferredFrom();
        long once = reference.singletons() == null ? 0 : reference.singletons(); // at most values (InferredFrom checks)
        long tolerated = SamplingTolerance.events(once, reference.values(), actual.values(), alpha);
        boolean ok = newRows <= tolerated;
        String expectedText = String.format(Locale.ROOT, "%s; <= %,d of %,d rows with new values", SchemaChecks.list(expected.categories()),
                tolerated, actual.values());
        String why = String.format(Locale.ROOT, "a reference of %,d values, %,d of them seen once, explains at most %,d", reference.values(),
                once, tolerated);
        String message = newRows == 0 ? "Every value is one of the reference's categories."
                : ok ? "Values the reference never saw appear, within what " + why + "."
                : "Values the reference never saw appear; " + why + " (false alarm p < " + probability(alpha) + ").";
        return Check.of("categories", name, ok ? Status.PASS : Status.FAIL, observed, expectedText, message);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2g%%", 100 * share);
    }

    private static String probability(double p) {
        return String.format(Locale.ROOT, "%.2g", p);
    }
}
