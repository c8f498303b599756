package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code gateModel} step: scores the candidate and the baseline on the same hold-out rows,
 * puts paired bootstrap intervals on the differences, holds them against the policy and decides.
 * Bad input (unreadable files, unmatched ids, a broken policy) throws
 * {@link io.jenkins.plugins.mlops.io.BadInputException}; anything that keeps the gate from
 * measuring (a missing column, NaN values, an undefined metric) fails the gate with the reason.
 */
public final class ModelGate {
    static final String BOOTSTRAP_METHOD = "paired bootstrap, exact multinomial resampling of rows, percentile interval";
    static final String RECORDED_NOTE = "The baseline is recorded metrics, not predictions on these rows: the gate "
            + "compares point values only, with no paired confidence interval. This is weaker than scoring both "
            + "models on the same hold-out set.";

    private ModelGate() {}

    /** @param progress receives progress lines for people watching (rows read, resamples done) */
    public static GateResult run(GateConfig config, Consumer<String> progress) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        HoldOut holdOut;
        try {
            holdOut = new HoldOutReader(config, progress).read();
        } catch (UnusableHoldOutException e) {
            Task task = config.declaredTask();
            return result(config, started, startNanos, e.problems(), task == null ? null : task.id(), 0, null, null,
                    List.of(), List.of(), List.of());
        }
        MetricPlan plan = MetricPlan.of(config, holdOut.task());
        List<Metric> metrics = plan.computed();
        boolean paired = holdOut.baseline() != null;

        progress.accept("gate: computing " + metrics.size() + " metrics on " + holdOut.rows() + " rows");
        MetricEvaluator candidate = holdOut.evaluator(holdOut.candidate(), metrics);
        MetricEvaluator baseline = paired ? holdOut.evaluator(holdOut.baseline(), metrics) : null;
        int[] ones = new int[holdOut.rows()];
        Arrays.fill(ones, 1);
        double[] candidateValues = candidate.evaluate(ones);
        double[] baselineValues = paired ? baseline.evaluate(ones) : null;
        // A required metric undefined on the whole set fails the gate whatever the resamples say: no need to wait for them.
        boolean decidable = plan.required().stream().allMatch(metric -> {
            int m = metrics.indexOf(metric);
            return Double.isFinite(candidateValues[m]) && (!paired || Double.isFinite(baselineValues[m]));
        });
        double[][] differences = null;
        if (paired && decidable) {
            differences = PairedBootstrap.differences(baseline, candidate, holdOut.rows(), config.resamples(), config.seed(),
                    progress);
        } else if (paired) {
            progress.accept("gate: a required metric cannot be computed, so the gate fails closed without the bootstrap");
        }
        List<Measurement> overall = measure(config, metrics, baseline, candidate, candidateValues, baselineValues,
                differences);

        PolicyJudge judge = new PolicyJudge(config.policy(), plan.primary(), paired, config.confidence());
        List<Check> checks = new ArrayList<>();
        if (!paired) {
            checks.add(Check.of("baseline_source", null, Status.WARN, "recorded metrics", "baseline predictions",
                    RECORDED_NOTE));
        }
        List<MetricComparison> comparisons = new ArrayList<>();
        for (Measurement m : overall) {
            judge.judgeOverall(m);
            comparisons.add(m.comparison(config.policy().greaterIsBetter(m.metric()), m.metric() == plan.primary()));
            definedCheck(m, plan, paired).ifPresent(checks::add);
        }
        List<SliceComparison> slices = slices(config, holdOut, metrics, judge, progress);
        judge.verdicts().forEach(verdict -> checks.add(PolicyJudge.check(verdict)));
        return result(config, started, startNanos, checks, holdOut.task().id(), holdOut.rows(), plan.primary(),
                holdOut.classes(), comparisons, judge.verdicts(), slices);
    }

    /** @param differences the bootstrap's, or {@code null} when it was not run (no baseline predictions, or no decision to make) */
    private static List<Measurement> measure(GateConfig config, List<Metric> metrics, MetricEvaluator baseline,
            MetricEvaluator candidate, double[] candidateValues, double[] baselineValues, double[][] differences) {
        List<Measurement> measurements = new ArrayList<>();
        for (int m = 0; m < metrics.size(); m++) {
            Metric metric = metrics.get(m);
            Double cand = finite(candidateValues[m]);
            String candMissing = cand == null ? candidate.undefinedReason(metric) : null;
            Double base;
            String baseMissing;
            Double low = null;
            Double high = null;
            String intervalMissing = null;
            if (baseline == null) {
                base = config.baseline() instanceof RecordedBaseline recorded ? recorded.metrics().get(metric) : null;
                baseMissing = base == null ? "the recorded baseline has no " + metric.id() : null;
                intervalMissing = "no interval: the baseline is recorded metrics, not predictions on these rows";
            } else {
                base = finite(baselineValues[m]);
                baseMissing = base == null ? baseline.undefinedReason(metric) : null;
                double[] interval = differences == null ? null
                        : PairedBootstrap.percentileInterval(differences[m], config.confidence());
                if (differences == null) {
                    intervalMissing = "no interval: a required metric cannot be computed, so the bootstrap was not run";
                } else if (interval != null) {
                    low = interval[0];
                    high = interval[1];
                } else if (cand != null && base != null) {
                    intervalMissing = "the metric is undefined in " + PairedBootstrap.undefinedCount(differences[m])
                            + " of " + config.resamples() + " resamples (too few rows of a class to resample)";
                }
            }
            measurements.add(new Measurement(metric, base, baseMissing, cand, candMissing, low, high, intervalMissing));
        }
        return measurements;
    }

    /** An undefined metric fails the gate if the user asked for it, and is a warning if it is only a default. */
    private static Optional<Check> definedCheck(Measurement m, MetricPlan plan, boolean paired) {
        String problem = m.candidate() == null ? "candidate: " + m.candidateMissing()
                : paired && m.baseline() == null ? "baseline: " + m.baselineMissing() : null;
        if (problem == null) {
            return Optional.empty();
        }
        boolean required = plan.required().contains(m.metric());
        return Optional.of(Check.of("computable", m.metric().id(), required ? Status.ERROR : Status.WARN,
                "undefined", "a value", m.metric().id() + " cannot be computed: " + problem
                        + (required ? "" : " (a default metric, not required)")));
    }

    private static List<SliceComparison> slices(GateConfig config, HoldOut holdOut, List<Metric> metrics,
            PolicyJudge judge, Consumer<String> progress) {
        List<SliceComparison> slices = new ArrayList<>();
        SlicePolicy policy = config.policy().slices();
        for (HoldOut.SliceColumn column : holdOut.slices()) {
            progress.accept("gate: " + column.values().size() + " slices of '" + column.name() + "'");
            int[][] rowsOfValue = rowsPerValue(column);
            for (int v = 0; v < rowsOfValue.length; v++) {
                HoldOut slice = holdOut.select(rowsOfValue[v]);
                String label = column.name() + "=" + column.values().get(v);
                boolean judged = slice.rows() >= policy.minSize() && !policy.rules().isEmpty();
                MetricEvaluator candidate = slice.evaluator(slice.candidate(), metrics);
                MetricEvaluator baseline = slice.baseline() == null ? null : slice.evaluator(slice.baseline(), metrics);
                int[] ones = new int[slice.rows()];
                Arrays.fill(ones, 1);
                double[] cand = candidate.evaluate(ones);
                double[] base = baseline == null ? null : baseline.evaluate(ones);
                Status status = Status.PASS;
                List<MetricComparison> comparisons = new ArrayList<>();
                for (int m = 0; m < metrics.size(); m++) {
                    Metric metric = metrics.get(m);
                    Double c = finite(cand[m]);
                    Double b = base == null ? null : finite(base[m]);
                    Measurement measurement = new Measurement(metric, b,
                            b != null ? null : baseline == null ? "no per-slice values for a recorded baseline" : baseline.undefinedReason(metric),
                            c, c != null ? null : candidate.undefinedReason(metric), null, null, null);
                    if (judged) {
                        status = status.worse(judge.judgeSlice(label, measurement));
                    }
                    comparisons.add(measurement.comparison(config.policy().greaterIsBetter(metric), false));
                }
                slices.add(new SliceComparison(column.name(), column.values().get(v), slice.rows(), judged, status,
                        comparisons));
            }
        }
        return slices;
    }

    private static int[][] rowsPerValue(HoldOut.SliceColumn column) {
        int[] sizes = new int[column.values().size()];
        for (int index : column.valueIndex()) {
            sizes[index]++;
        }
        int[][] rows = new int[sizes.length][];
        for (int v = 0; v < sizes.length; v++) {
            rows[v] = new int[sizes[v]];
        }
        int[] filled = new int[sizes.length];
        for (int i = 0; i < column.valueIndex().length; i++) {
            int v = column.valueIndex()[i];
            rows[v][filled[v]++] = i;
        }
        return rows;
    }

    private static GateResult result(GateConfig config, Instant started, long startNanos, List<Check> checks, String task,
            int rows, Metric primary, ClassCoding classes, List<MetricComparison> metrics, List<RuleVerdict> rules,
            List<SliceComparison> slices) {
        Status status = Status.worstOf(checks);
        Decision decision = status.isAtLeast(Status.FAIL) ? Decision.FAIL : Decision.PASS;
        boolean paired = config.pairedBaseline();
        BaselineInfo baselineInfo = new BaselineInfo(paired ? "predictions" : "recorded_metrics",
                config.baseline().description(), paired, paired ? null : RECORDED_NOTE);
        BootstrapInfo bootstrap = paired && !metrics.isEmpty()
                ? new BootstrapInfo(BOOTSTRAP_METHOD, config.resamples(), config.confidence(), config.seed()) : null;
        double seconds = Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 1000.0;
        return new GateResult(GateResult.SCHEMA, GateResult.STEP, status, started, seconds,
                summary(decision, status, checks, metrics, rules, config.confidence(), paired), checks, decision, task, rows,
                primary == null ? null : primary.id(), classes == null ? null : classes.positiveName(), metrics, rules,
                slices, baselineInfo, config.candidateFile(), bootstrap);
    }

    private static String summary(Decision decision, Status status, List<Check> checks, List<MetricComparison> metrics,
            List<RuleVerdict> rules, double confidence, boolean paired) {
        if (status == Status.ERROR) {
            Check first = checks.stream().filter(c -> c.status() == Status.ERROR).findFirst().orElseThrow();
            return "The gate could not evaluate the candidate, so it fails closed: " + first.message();
        }
        if (decision == Decision.FAIL) {
            List<RuleVerdict> failed = rules.stream().filter(r -> r.verdict() == Status.FAIL).toList();
            return "The candidate fails the policy: " + failed.get(0).message()
                    + (failed.size() > 1 ? "; and " + (failed.size() - 1) + " more rule(s) failed" : "");
        }
        MetricComparison primary = metrics.stream().filter(MetricComparison::primary).findFirst().orElseThrow();
        StringBuilder text = new StringBuilder("The candidate passes: ").append(primary.name()).append(' ')
                .append(PolicyJudge.format(primary.candidate())).append(" vs baseline ")
                .append(PolicyJudge.format(primary.baseline())).append(String.format(Locale.ROOT, " (%+.4g", primary.difference()));
        if (primary.ciLow() != null) {
            text.append(", ").append(PolicyJudge.format(confidence * 100)).append("% interval [")
                    .append(PolicyJudge.format(primary.ciLow())).append(", ").append(PolicyJudge.format(primary.ciHigh())).append(']');
        }
        text.append("); ").append(rules.size()).append(rules.size() == 1 ? " rule held" : " rules held");
        if (!paired) {
            text.append(" (point comparison with recorded metrics: weaker, no interval)");
        }
        return text.toString();
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
