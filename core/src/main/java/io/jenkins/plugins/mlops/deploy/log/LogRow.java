package io.jenkins.plugins.mlops.deploy.log;

/** A row the prediction log writes: one answered request, or one piece of feedback. */
public sealed interface LogRow permits PredictionRow, FeedbackRow {}
