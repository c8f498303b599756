package io.jenkins.plugins.mlops.pipeline;

/** A stage that could not produce its step's result (e.g. the evaluate command failed): the run stops there, failed. */
final class StageFailedException extends RuntimeException {
    StageFailedException(String message) {
        super(message);
    }
}
