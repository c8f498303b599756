package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;

/**
 * The {@code validate} stage: the options of {@code mlops validate-data}, plus {@code on-drift}.
 *
 * @param onDrift {@code stop} (default) fails the run on drift like any failed check; {@code retrain}
 *     treats a run whose only failed checks compare the data with the reference ({@code drift},
 *     new {@code categories}) as the reason to retrain and carries on, reporting the drift
 */
public record ValidateStage(String data, String reference, String referenceProfile, String schema, FailOn failOn,
        String memoryLimit, Integer threads, OnDrift onDrift) implements Serializable {

    /** The status from which validation fails, as {@code --fail-on}. */
    public enum FailOn { WARN, FAIL }

    /** What drift does to the run. */
    public enum OnDrift { STOP, RETRAIN }

    public ValidateStage {
        data = Keys.required(data, "validate.data");
        failOn = failOn == null ? FailOn.FAIL : failOn;
        memoryLimit = Keys.orDefault(memoryLimit, "2GB");
        threads = threads == null ? 0 : threads;
        onDrift = onDrift == null ? OnDrift.STOP : onDrift;
        if (reference != null && referenceProfile != null) {
            throw Keys.invalid("validate.reference-profile", "give reference or reference-profile, not both");
        }
    }
}
