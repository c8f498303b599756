package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;
import java.util.List;

/**
 * How the training command fared on one perturbed copy of the sample.
 *
 * @param name the perturbation as asked for, e.g. {@code nan} or {@code empty-column=age}
 * @param title what it is, e.g. "NaN in every feature column"
 * @param status PASS or FAIL, or {@code null} when it did not run (the plain sample failed, or the
 *     sample has nothing it could change)
 * @param change what was changed in the copy, or why nothing was
 * @param failure the class of failure, as for the plain sample; {@code null} when it passed or did not run
 * @param message one sentence on the outcome
 * @param exitCode the command's exit status, or {@code null} when it did not run
 * @param logExcerpt the log lines that show a failure (empty when it passed)
 */
public record PerturbationOutcome(String name, String title, Status status, String change, FailureKind failure,
        String message, Integer exitCode, double durationS, List<String> logExcerpt) implements Serializable {

    public PerturbationOutcome {
        logExcerpt = List.copyOf(logExcerpt);
    }

    static PerturbationOutcome notRun(Perturbation perturbation, String change, String why) {
        return new PerturbationOutcome(perturbation.name(), perturbation.kind().title(), null, change, null, why, null, 0,
                List.of());
    }
}
