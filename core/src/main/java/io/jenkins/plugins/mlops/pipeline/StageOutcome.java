package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;

/**
 * One stage of a run as the pipeline saw it.
 *
 * @param stage the key in {@code mlops.yaml}, e.g. {@code smoke-train}
 * @param step the Jenkins step it runs, e.g. {@code smokeTrain}
 * @param status the stage's verdict in the pipeline (drift under {@code on-drift: retrain} is WARN)
 * @param report the step's JSON file in the run directory, or null when the step wrote none
 * @param error {@code bad_input} or {@code infrastructure} when the stage stopped on an exception, else null
 */
public record StageOutcome(String stage, String step, Status status, String summary, double durationS, String report,
        String error) implements Serializable {}
