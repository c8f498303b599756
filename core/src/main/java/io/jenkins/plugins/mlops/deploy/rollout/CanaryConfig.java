package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.PositiveDurations;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How a canary rolls out.
 *
 * @param steps the candidate's weights in percent, increasing; 100 (added when missing) is the promotion
 * @param stepDuration how long each weight is held and judged before it may advance
 * @param interval how often the judge looks within a step: a failing candidate is rolled back within one
 * @param maxWait how much longer than {@code stepDuration} a step waits for the minimum sample; then it fails closed
 * @param policy the judge's limits
 * @param metrics business metrics, SQL over the prediction log or PromQL
 */
public record CanaryConfig(List<Integer> steps, Duration stepDuration, Duration interval, Duration maxWait,
                           JudgePolicy policy, List<BusinessMetric> metrics) implements Serializable {

    public CanaryConfig {
        if (steps == null || steps.isEmpty()) {
            throw new BadInputException("--steps needs at least one weight, e.g. 5,25,50,100");
        }
        int previous = 0;
        for (int step : steps) {
            if (step <= previous || step > 100) {
                throw new BadInputException("--steps must increase within 1..100, got " + steps);
            }
            previous = step;
        }
        if (steps.get(steps.size() - 1) != 100) {
            steps = java.util.stream.Stream.concat(steps.stream(), java.util.stream.Stream.of(100)).toList();
        }
        steps = List.copyOf(steps);
        PositiveDurations.require(stepDuration, "--step-duration");
        PositiveDurations.require(interval, "--interval");
        if (interval.compareTo(stepDuration) > 0) {
            throw new BadInputException("--interval (" + interval + ") must not be longer than --step-duration (" + stepDuration + ")");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new BadInputException("--max-wait must be zero or positive");
        }
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /** The weights that are judged: every step below 100 (at 100 stable has no traffic left to compare with). */
    public List<Integer> judgedSteps() {
        return steps.subList(0, steps.size() - 1);
    }

    /** The judged steps when a rollout resumes at {@code weight}: that weight first, then the steps above it. */
    public List<Integer> judgedStepsFrom(int weight) {
        if (weight <= 0 || weight >= 100) {
            return judgedSteps();
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(weight),
                judgedSteps().stream().filter(step -> step > weight)).toList();
    }
}
