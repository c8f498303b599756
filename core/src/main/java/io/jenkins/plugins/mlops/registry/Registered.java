package io.jenkins.plugins.mlops.registry;

import java.io.Serializable;

/**
 * The outcome of {@link ModelRegistry#register}.
 *
 * @param created false when an earlier registration with the same idempotency key was found
 */
public record Registered(ModelVersion version, boolean created) implements Serializable {}
