package io.jenkins.plugins.mlops.gate;

/**
 * One metric measured for both models on one set of rows, with the reason wherever a value is
 * missing; the input of {@link PolicyJudge}.
 *
 * @param baseline the baseline's value, or {@code null} ({@code baselineMissing} says why)
 * @param candidate the candidate's value, or {@code null} ({@code candidateMissing} says why)
 * @param ciLow the interval of candidate - baseline, or {@code null} ({@code intervalMissing} says why)
 */
record Measurement(Metric metric, Double baseline, String baselineMissing, Double candidate, String candidateMissing,
        Double ciLow, Double ciHigh, String intervalMissing) {

    Double difference() {
        return baseline == null || candidate == null ? null : candidate - baseline;
    }

    MetricComparison comparison(boolean greaterIsBetter, boolean primary) {
        String note = candidateMissing != null ? "candidate: " + candidateMissing
                : baselineMissing != null ? "baseline: " + baselineMissing
                : intervalMissing;
        return new MetricComparison(metric.id(), baseline, candidate, difference(), ciLow, ciHigh, greaterIsBetter,
                primary, note);
    }
}
