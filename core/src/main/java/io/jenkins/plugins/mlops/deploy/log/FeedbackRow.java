package io.jenkins.plugins.mlops.deploy.log;

/**
 * One {@code POST /feedback} in {@code mlops_feedback}, joined to predictions by request id.
 *
 * @param outcome a numeric outcome (a value, a click as 1/0), or null
 * @param label a categorical outcome (a late label), or null
 */
public record FeedbackRow(String requestId, Double outcome, String label, long receivedAt) implements LogRow {}
