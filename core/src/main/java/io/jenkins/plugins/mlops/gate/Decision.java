package io.jenkins.plugins.mlops.gate;

/** What the gate says about the candidate. There is no third answer: a gate that cannot decide says FAIL. */
public enum Decision {
    PASS,
    FAIL
}
