package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.deploy.traffic.RequestBodies;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** A built-in load generator for the commands that run the router for a while (canary, ab): demos and CI. */
public final class TrafficOptions {
    @Option(names = "--replay", paramLabel = "FILE",
            description = "Replay the JSON request bodies in FILE (one per line) through the router at --replay-rate, "
                    + "for as long as the command runs; without it, real clients send traffic to --listen.")
    Path replay;

    @Option(names = "--replay-path", paramLabel = "PATH", defaultValue = "/invocations",
            description = "Where replayed requests go (default ${DEFAULT-VALUE}).")
    String replayPath;

    @Option(names = "--replay-rate", paramLabel = "R", defaultValue = "20",
            description = "Replayed requests per second (default ${DEFAULT-VALUE}); at most 64 wait at once.")
    double replayRate;

    /** Starts the replay against the router, or returns null when no file was given. Checks the file first. */
    PacedReplay start(URI router) {
        return start(router, Long.MAX_VALUE);
    }

    /** The same, sending {@code limit} requests in all. */
    PacedReplay start(URI router, long limit) {
        if (replay == null) {
            return null;
        }
        return PacedReplay.start(router.resolve(replayPath), RequestBodies.read(replay, "--replay"), replayRate, 64,
                Duration.ofSeconds(30), limit);
    }
}
