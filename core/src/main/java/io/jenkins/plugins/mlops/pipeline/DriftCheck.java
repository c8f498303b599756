package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.data.ValidationConfig;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The Continuous Training trigger's question: did this batch drift from the training data's
 * profile? Only the checks that compare with the reference count (per-column drift, new
 * categories); a schema problem is the validate stage's business, not a reason to retrain.
 */
public final class DriftCheck {
    private static final Set<String> DRIFT_CHECKS = Set.of("drift", "categories");

    private DriftCheck() {}

    /** Whether a validation check compares the data with the reference (a changed world, which retraining answers). */
    static boolean comparesWithReference(Check check) {
        return DRIFT_CHECKS.contains(check.name());
    }

    /** The drift verdict, and the validation it was read from (for the report's charts). */
    public record Outcome(DriftResult result, ValidationResult validation) {}

    public static Outcome run(String data, String referenceProfile, EngineSettings engine, Consumer<String> progress) {
        ValidationResult validation = new DataValidator(progress)
                .validate(new ValidationConfig(data, null, referenceProfile, null, engine));
        List<Check> checks = validation.checks().stream().filter(DriftCheck::comparesWithReference).toList();
        Set<String> drifted = new TreeSet<>();
        checks.stream().filter(check -> check.status().isAtLeast(Status.FAIL))
                .forEach(check -> drifted.add(check.column() == null ? "(table)" : check.column()));
        Status status = drifted.isEmpty() ? Status.worstOf(checks) : Status.FAIL;
        long warned = checks.stream().filter(check -> check.status() == Status.WARN).count();
        String summary = drifted.isEmpty()
                ? "No drift in " + validation.rowCount() + " rows" + (warned > 0 ? " (" + warned + " columns moved noticeably)" : "")
                : "Drift in " + drifted.size() + (drifted.size() == 1 ? " column: " : " columns: ") + String.join(", ", drifted)
                        + ": retraining is due";
        DriftResult result = new DriftResult(DriftResult.SCHEMA, DriftResult.STEP, status, validation.started(),
                validation.durationS(), summary, checks, data, referenceProfile, validation.rowCount(), List.copyOf(drifted),
                null);
        return new Outcome(result, validation);
    }
}
