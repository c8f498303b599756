package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.Criterion;
import io.jenkins.plugins.mlops.deploy.judge.Judge;
import io.jenkins.plugins.mlops.deploy.judge.Judgement;
import io.jenkins.plugins.mlops.deploy.judge.Verdict;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a canary: sets each weight, looks at both arms every interval over the same window (since
 * the weight was set), and advances, holds, promotes or rolls back on the judge's verdict. A
 * failing candidate is rolled back at the first look that sees it; a step that cannot gather the
 * minimum sample within step duration plus max wait fails closed. A rollout that finds the
 * backend mid-way (a previous run died, the router resumed its weights) resumes at that weight.
 */
public final class RolloutController {
    private final TrafficBackend backend;
    private final MetricReader metrics;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    public RolloutController(TrafficBackend backend, MetricReader metrics, Clock clock, Sleeper sleeper, Consumer<String> progress) {
        this.backend = backend;
        this.metrics = metrics;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    public CanaryResult run(CanaryConfig config) {
        Instant started = clock.instant();
        Judge judge = new Judge(config.policy());
        int current = backend.candidateWeight();
        Integer resumedAt = current > 0 && current < 100 ? current : null;
        if (resumedAt != null) {
            progress.accept("Resuming the rollout at the backend's weight: " + current + "% candidate");
        }
        // A broken metric query is bad input: find it before any traffic moves.
        businessMetrics(config, started, started);
        List<Evaluation> timeline = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        String failure = null;
        try {
            for (int weight : config.judgedStepsFrom(current)) {
                failure = runStep(weight, config, judge, started, timeline, checks);
                if (failure != null) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // Whatever stopped the analysis, the candidate does not keep its traffic unjudged.
            try {
                rollBack();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        Instant end = clock.instant();
        if (failure != null) {
            rollBack();
            return result(config, started, end, Status.FAIL, CanaryResult.ROLLED_BACK,
                    "Rolled back to stable: " + failure, checks, timeline, resumedAt);
        }
        backend.setCandidateWeight(100);
        timeline.add(new Evaluation(end, seconds(started, end), 100, 0, null, null, Verdict.PASS, Decision.PROMOTE,
                List.of(), List.of("Every judged step passed.")));
        progress.accept("Promoted: 100% candidate");
        return result(config, started, end, Status.PASS, CanaryResult.PROMOTED,
                "Promoted: the candidate passed every step (" + percentages(config.judgedStepsFrom(current))
                        + ") and takes all traffic.",
                checks, timeline, resumedAt);
    }

    /** Holds one weight until it passes (null) or fails (the reason). */
    private String runStep(int weight, CanaryConfig config, Judge judge, Instant started, List<Evaluation> timeline,
                           List<Check> checks) {
        backend.setCandidateWeight(weight);
        Instant stepStart = clock.instant();
        progress.accept("Weight " + weight + "% candidate");
        Duration deadline = config.stepDuration().plus(config.maxWait());
        while (true) {
            sleep(config.interval());
            Instant now = clock.instant();
            Duration elapsed = Duration.between(stepStart, now);
            Judgement judgement;
            VariantWindow stable;
            VariantWindow candidate;
            try {
                stable = backend.observe(TrafficBackend.STABLE, stepStart, now);
                candidate = backend.observe(TrafficBackend.CANDIDATE, stepStart, now);
                judgement = judge.judge(stable, candidate, businessMetrics(config, stepStart, now));
            } catch (InfrastructureException e) {
                // The backend (router, Prometheus, cluster) did not answer: no data is not good data.
                if (elapsed.compareTo(deadline) >= 0) {
                    addChecks(checks, weight, null, e.getMessage());
                    return "the backend gave no data within the step's wait: " + e.getMessage();
                }
                timeline.add(new Evaluation(now, seconds(started, now), weight, seconds(stepStart, now), null, null,
                        Verdict.INCONCLUSIVE, Decision.HOLD, List.of(), List.of("backend: " + e.getMessage() + ".")));
                progress.accept("  no data from the backend, waiting: " + e.getMessage());
                continue;
            }
            boolean stepOver = elapsed.compareTo(config.stepDuration()) >= 0;
            Decision decision = switch (judgement.verdict()) {
                case FAIL -> Decision.ROLLBACK;
                case PASS -> stepOver ? Decision.ADVANCE : Decision.CONTINUE;
                default -> !stepOver ? Decision.CONTINUE
                        : elapsed.compareTo(deadline) >= 0 ? Decision.ROLLBACK : Decision.HOLD;
            };
            List<String> reasons = judgement.reasons();
            if (decision == Decision.ROLLBACK && judgement.verdict() == Verdict.INCONCLUSIVE) {
                reasons = new ArrayList<>(reasons);
                reasons.add(0, "no decision after " + format(elapsed) + " (step " + format(config.stepDuration())
                        + " + wait " + format(config.maxWait()) + "): fails closed.");
            }
            timeline.add(new Evaluation(now, seconds(started, now), weight, seconds(stepStart, now),
                    ArmSummary.of(stable), ArmSummary.of(candidate), judgement.verdict(), decision,
                    judgement.criteria(), reasons));
            progress.accept(String.format(Locale.ROOT, "  %s: stable %d req, candidate %d req, %s",
                    decision.name().toLowerCase(Locale.ROOT), stable.requests(), candidate.requests(),
                    reasons.isEmpty() ? judgement.verdict().name().toLowerCase(Locale.ROOT) : String.join(" ", reasons)));
            if (decision == Decision.ADVANCE) {
                addChecks(checks, weight, judgement, null);
                return null;
            }
            if (decision == Decision.ROLLBACK) {
                addChecks(checks, weight, judgement, null);
                return "at " + weight + "%: " + String.join(" ", reasons);
            }
        }
    }

    private Map<BusinessMetric, Judge.MetricValues> businessMetrics(CanaryConfig config, Instant from, Instant to) {
        Map<BusinessMetric, Judge.MetricValues> values = new LinkedHashMap<>();
        for (BusinessMetric metric : config.metrics()) {
            values.put(metric, new Judge.MetricValues(metrics.values(metric, TrafficBackend.STABLE, from, to),
                    metrics.values(metric, TrafficBackend.CANDIDATE, from, to)));
        }
        return values;
    }

    /**
     * All traffic to stable; retried, because a rollback that does not happen is the worst outcome.
     * An abort interrupts this thread, and a Kubernetes or HTTP call on an interrupted thread fails at
     * once: the rollback runs with the flag cleared (a second interrupt does not stop it either) and
     * sets it again when done, so the caller still sees the abort.
     */
    private void rollBack() {
        boolean interrupted = Thread.interrupted();
        try {
            InfrastructureException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    backend.setCandidateWeight(0);
                    progress.accept("Rolled back: 0% candidate");
                    return;
                } catch (InfrastructureException e) {
                    last = e;
                    interrupted |= Thread.interrupted() | !pause(Duration.ofMillis(200L << attempt));
                }
            }
            throw new InfrastructureException("could not roll back to stable on " + backend.describe() + ": "
                    + last.getMessage(), last);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits before the rollback's next try; false when interrupted (the wait is cut short, the rollback goes on). */
    private boolean pause(Duration duration) {
        try {
            sleeper.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** The judged step's criteria as checks, one JUnit case each, named by the weight. */
    private static void addChecks(List<Check> checks, int weight, Judgement judgement, String infrastructureFailure) {
        String step = "step " + weight + "%";
        if (judgement == null) {
            checks.add(new Check("backend", step, Status.ERROR, null, null, infrastructureFailure));
            return;
        }
        for (Criterion c : judgement.criteria()) {
            Status status = switch (c.verdict()) {
                case PASS -> Status.PASS;
                case NOT_MEASURED -> Status.WARN;
                case INCONCLUSIVE -> Status.ERROR;
                case FAIL -> Status.FAIL;
            };
            checks.add(new Check(c.name(), step, status, observed(c), c.limit(), c.message()));
        }
    }

    private static String observed(Criterion c) {
        if (c.effect() == null && c.candidate() == null) {
            return null;
        }
        String values = "stable " + num(c.stable()) + ", candidate " + num(c.candidate());
        return c.effect() == null ? values : values + ", effect " + num(c.effect())
                + (c.low() == null ? "" : " [" + num(c.low()) + ", " + num(c.high()) + "]");
    }

    private static String num(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.4g", value);
    }

    private CanaryResult result(CanaryConfig config, Instant started, Instant end, Status status, String outcome,
                                String summary, List<Check> checks, List<Evaluation> timeline, Integer resumedAt) {
        return new CanaryResult(CanaryResult.SCHEMA, CanaryResult.STEP, status, started, seconds(started, end), summary,
                checks, outcome, backend.describe(), config.steps(), config.stepDuration().toMillis() / 1000.0,
                config.interval().toMillis() / 1000.0, config.policy(), backend.candidateWeight(), resumedAt, timeline);
    }

    private static String percentages(List<Integer> weights) {
        return String.join(", ", weights.stream().map(w -> w + "%").toList());
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("the rollout was interrupted", e);
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
