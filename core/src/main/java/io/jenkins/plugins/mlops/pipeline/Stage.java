package io.jenkins.plugins.mlops.pipeline;

/** One stage of the pipeline: runs its step over the run's state and says how it went. */
interface Stage {
    /** The key in {@code mlops.yaml}. */
    String key();

    /** What the console and the report call it. */
    String title();

    StageReport run(RunState state);
}
