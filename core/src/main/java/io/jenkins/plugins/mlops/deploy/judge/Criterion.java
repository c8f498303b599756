package io.jenkins.plugins.mlops.deploy.judge;

import java.io.Serializable;

/**
 * One judged criterion of one step: what stable and the candidate showed, the test and its effect.
 *
 * @param name {@code error_rate}, {@code latency}, {@code prediction_drift} or a business metric's name
 * @param test the statistical test behind the verdict, e.g. "two-proportion z-test (one-sided)"
 * @param stable stable's value (error rate, median latency, mean of the metric), null when unmeasured
 * @param candidate the candidate's value, same unit
 * @param effect the effect the limit applies to: latency ratio, KS distance, metric difference
 * @param low lower end of the effect's confidence interval, null where the test gives none
 * @param high upper end of that interval
 * @param pValue the test's p-value, null where no test ran
 * @param limit the policy's limit, as a person reads it
 * @param verdict the verdict
 * @param message one sentence that explains the verdict
 */
public record Criterion(
        String name,
        String test,
        Double stable,
        Double candidate,
        Double effect,
        Double low,
        Double high,
        Double pValue,
        String limit,
        Verdict verdict,
        String message)
        implements Serializable {

    static Criterion inconclusive(String name, String test, String limit, String message) {
        return new Criterion(name, test, null, null, null, null, null, null, limit, Verdict.INCONCLUSIVE, message);
    }
}
