package io.jenkins.plugins.mlops.params;

/** The three ways a step is called; each binds its input onto the step's one parameter catalogue. */
public enum FrontEnd {
    /** The {@code mlops} command: {@code --step-duration}. */
    CLI,
    /** A stage of {@code mlops.yaml}: {@code step-duration:}. */
    YAML,
    /** The Jenkins step and its form: {@code stepDuration:}. */
    JENKINS
}
