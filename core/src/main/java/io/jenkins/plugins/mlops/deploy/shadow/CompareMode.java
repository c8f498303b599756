package io.jenkins.plugins.mlops.deploy.shadow;

/** How two models' answers for one row are compared. */
public enum CompareMode {
    /** Numbers within the tolerance, labels by equality, anything else as JSON. */
    AUTO,
    /** Both must be numbers (or one-element lists, booleans): agree within the tolerance. */
    NUMERIC,
    /** Equal as labels; 1 and 1.0 are the same label. */
    LABEL,
    /** Equal as JSON values (vectors, dicts of outputs). */
    JSON
}
