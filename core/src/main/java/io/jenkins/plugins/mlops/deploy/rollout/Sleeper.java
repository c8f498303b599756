package io.jenkins.plugins.mlops.deploy.rollout;

import java.time.Duration;

/** Waits between looks; tests pass one that advances a fake clock instead. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());
}
