package io.jenkins.plugins.mlops.deploy.shadow;

import java.io.Serializable;

/**
 * One row where the models differed most: the request row and both answers, as JSON text
 * (shortened to a few hundred characters).
 *
 * @param difference the absolute difference for numbers, 1 for differing labels or values
 */
public record Example(String requestId, int row, double difference, String input, String primary, String shadow)
        implements Serializable {}
