package io.jenkins.plugins.mlops.result;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The envelope every step's result shares, so that the CLI, the JUnit writer, the HTML pages and
 * the Jenkins actions each have one piece of code for all steps. A step's result is a record that
 * implements this and adds its own fields after these.
 */
@JsonPropertyOrder({"schema", "step", "status", "started", "duration_s", "summary", "checks"})
public interface StepResult extends Serializable {

    /** Versioned name of the JSON shape, e.g. {@code mlops.gate/v1}. */
    String schema();

    /** The step's name as a Jenkinsfile spells it, e.g. {@code validateData}. */
    String step();

    Status status();

    Instant started();

    /** Wall time of the step in seconds (serialised as {@code duration_s}). */
    double durationS();

    /** One sentence a person reads first. */
    String summary();

    List<Check> checks();
}
