package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds measurements against the policy and records one {@link RuleVerdict} per rule. A rule
 * whose inputs are missing (an undefined metric, a baseline value that was never recorded, an
 * interval that could not be computed) is an ERROR verdict: the gate fails closed.
 */
final class PolicyJudge {
    private final GatePolicy policy;
    private final Metric primary;
    private final boolean paired;
    private final double confidence;
    private final List<RuleVerdict> verdicts = new ArrayList<>();

    PolicyJudge(GatePolicy policy, Metric primary, boolean paired, double confidence) {
        this.policy = policy;
        this.primary = primary;
        this.paired = paired;
        this.confidence = confidence;
    }

    List<RuleVerdict> verdicts() {
        return List.copyOf(verdicts);
    }

    /** The rules for the whole hold-out set: the default rule on the primary metric, then the policy's. */
    void judgeOverall(Measurement m) {
        MetricRule rule = policy.ruleFor(m.metric());
        boolean greater = policy.greaterIsBetter(m.metric());
        if (m.metric() == primary && !rule.comparesWithBaseline()) {
            compare(m, null, "not_worse", m.baseline(), greater,
                    "the default rule: the primary metric must not be worse than the baseline's");
        }
        applyRules(m, rule, null, greater);
        if (rule.maxRegression() != null) {
            maxRegression(m, rule.maxRegression(), greater);
        }
        if (rule.noSignificantRegression()) {
            noSignificantRegression(m, greater);
        }
    }

    /** The policy's slice rules for one slice; returns the worst verdict. */
    Status judgeSlice(String slice, Measurement m) {
        int before = verdicts.size();
        MetricRule rule = policy.slices().rules().get(m.metric());
        if (rule != null) {
            applyRules(m, rule, slice, policy.greaterIsBetter(m.metric()));
        }
        Status worst = Status.PASS;
        for (RuleVerdict verdict : verdicts.subList(before, verdicts.size())) {
            worst = worst.worse(verdict.verdict());
        }
        return worst;
    }

    private void applyRules(Measurement m, MetricRule rule, String slice, boolean greater) {
        if (rule.threshold() != null) {
            record(m, slice, "threshold", rule.threshold(), greater, "an absolute "
                    + (greater ? "floor" : "ceiling") + " for the candidate", null);
        }
        if (rule.minAbsoluteChange() != null) {
            Double limit = m.baseline() == null ? null : m.baseline() + (greater ? 1 : -1) * rule.minAbsoluteChange();
            compare(m, slice, "min_absolute_change", limit, greater,
                    "the candidate must differ from the baseline by at least " + format(rule.minAbsoluteChange())
                            + " in the better direction");
        }
        if (rule.minRelativeChange() != null) {
            Double limit = m.baseline() == null ? null
                    : m.baseline() + (greater ? 1 : -1) * rule.minRelativeChange() * Math.abs(m.baseline());
            compare(m, slice, "min_relative_change", limit, greater,
                    "the candidate must differ from the baseline by at least " + format(rule.minRelativeChange() * 100)
                            + " % of its magnitude in the better direction");
        }
    }

    /** A rule that needs the baseline's value: its limit is derived from it. */
    private void compare(Measurement m, String slice, String rule, Double limit, boolean greater, String meaning) {
        String missing = null;
        if (m.baseline() == null) {
            missing = slice != null && !paired
                    ? "the baseline is recorded metrics, which have no per-slice values"
                    : "no baseline value: " + m.baselineMissing();
        }
        record(m, slice, rule, limit, greater, meaning, missing);
    }

    private void record(Measurement m, String slice, String rule, Double limit, boolean greater, String meaning,
            String baselineProblem) {
        String where = m.metric().id() + (slice == null ? "" : " on slice " + slice);
        String comparison = greater ? ">=" : "<=";
        if (m.candidate() == null) {
            add(rule, m, slice, null, comparison, limit, Status.ERROR,
                    "cannot evaluate " + rule + " on " + where + ": the candidate's " + m.metric().id()
                            + " is undefined (" + m.candidateMissing() + ")");
            return;
        }
        if (baselineProblem != null) {
            add(rule, m, slice, m.candidate(), comparison, null, Status.ERROR,
                    "cannot evaluate " + rule + " on " + where + ": " + baselineProblem);
            return;
        }
        boolean holds = greater ? m.candidate() >= limit : m.candidate() <= limit;
        add(rule, m, slice, m.candidate(), comparison, limit, holds ? Status.PASS : Status.FAIL,
                rule + " on " + where + (holds ? " holds" : " fails") + ": candidate " + format(m.candidate())
                        + (holds ? " " + comparison + " " : ", needs " + comparison + " ") + format(limit)
                        + "; " + meaning);
    }

    /**
     * The non-inferiority rule: the interval of candidate - baseline, turned so that positive is
     * better, must lie above -tolerance. Without baseline predictions there is no interval and the
     * point difference is used, which the message calls weaker.
     */
    private void maxRegression(Measurement m, double tolerance, boolean greater) {
        double limit = greater ? -tolerance : tolerance;
        interval(m, new IntervalRule("max_regression", limit, true, true,
                "excludes a regression larger than " + format(tolerance),
                "does not exclude a regression larger than " + format(tolerance),
                "is within the tolerated regression " + format(tolerance),
                "exceeds the tolerated regression " + format(tolerance)), greater);
    }

    /**
     * The safe rule: fail only when the data show the candidate worse, i.e. the whole interval of
     * candidate - baseline lies on the worse side of zero. Noise passes; so does a candidate that
     * is better. Without an interval the point difference must not be worse at all.
     */
    private void noSignificantRegression(Measurement m, boolean greater) {
        interval(m, new IntervalRule("no_significant_regression", 0.0, false, false,
                "reaches zero: not significantly worse", "lies entirely on the worse side of zero: significantly worse",
                "is not worse", "is worse, and without an interval any regression counts"), greater);
    }

    /**
     * A rule on one end of the interval: the end on the regression side ({@code regressionEnd}) or
     * the one on the better side must lie beyond the limit in the better direction.
     */
    private record IntervalRule(String name, double limit, boolean strict, boolean regressionEnd, String holdsText,
            String failsText, String pointHoldsText, String pointFailsText) {
        boolean holds(double value, boolean greater) {
            return greater ? (strict ? value > limit : value >= limit) : (strict ? value < limit : value <= limit);
        }

        String comparison(boolean greater) {
            return (greater ? ">" : "<") + (strict ? "" : "=");
        }
    }

    private void interval(Measurement m, IntervalRule rule, boolean greater) {
        String name = m.metric().id();
        if (m.candidate() == null || m.baseline() == null) {
            String why = m.candidate() == null ? "the candidate's " + name + " is undefined (" + m.candidateMissing() + ")"
                    : "no baseline value: " + m.baselineMissing();
            add(rule.name(), m, null, null, rule.comparison(greater), rule.limit(), Status.ERROR,
                    "cannot evaluate " + rule.name() + " on " + name + ": " + why);
            return;
        }
        if (!paired) {
            double difference = m.difference();
            boolean holds = rule.holds(difference, greater);
            add(rule.name(), m, null, difference, rule.comparison(greater), rule.limit(), holds ? Status.PASS : Status.FAIL,
                    name + " difference " + format(difference) + " " + (holds ? rule.pointHoldsText() : rule.pointFailsText())
                            + " (point values only: the baseline is recorded metrics, so there is no interval; weaker)");
            return;
        }
        if (m.ciLow() == null) {
            add(rule.name(), m, null, null, rule.comparison(greater), rule.limit(), Status.ERROR,
                    "cannot evaluate " + rule.name() + " on " + name + ": no confidence interval (" + m.intervalMissing() + ")");
            return;
        }
        double edge = greater == rule.regressionEnd() ? m.ciLow() : m.ciHigh();
        boolean holds = rule.holds(edge, greater);
        String interval = String.format(Locale.ROOT, "%s%% interval of candidate - baseline [%s, %s]",
                format(confidence * 100), format(m.ciLow()), format(m.ciHigh()));
        add(rule.name(), m, null, edge, rule.comparison(greater), rule.limit(), holds ? Status.PASS : Status.FAIL,
                name + ": " + interval + " " + (holds ? rule.holdsText() : rule.failsText()));
    }

    private void add(String rule, Measurement m, String slice, Double observed, String comparison, Double limit,
            Status verdict, String message) {
        verdicts.add(new RuleVerdict(rule, m.metric().id(), slice, observed, comparison, limit, verdict, message));
    }

    /** The JUnit-facing view of a verdict: the check is the rule, the column the metric (and slice). */
    static Check check(RuleVerdict verdict) {
        String column = verdict.metric() + (verdict.slice() == null ? "" : "[" + verdict.slice() + "]");
        return Check.of(verdict.rule(), column, verdict.verdict(),
                verdict.observed() == null ? null : format(verdict.observed()),
                verdict.limit() == null ? null : verdict.comparison() + " " + format(verdict.limit()),
                verdict.message());
    }

    static String format(double value) {
        double magnitude = Math.abs(value);
        if (value == 0 || (magnitude >= 1e-4 && magnitude < 1e7)) {
            return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        }
        return String.format(Locale.ROOT, "%.4e", value);
    }
}
