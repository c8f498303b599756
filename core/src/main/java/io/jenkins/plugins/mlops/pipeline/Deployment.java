package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The two model servers the shadow and canary stages put the router in front of: the champion
 * (what production answers with) and the candidate, each started once per run from
 * {@code serve} and stopped when the run ends.
 */
final class Deployment implements AutoCloseable {
    private final List<ModelServer> servers = new ArrayList<>();
    private URI champion;
    private URI candidate;

    /** Whether there is a production model to mirror from or roll out against. */
    static boolean hasChampion(RunState state) {
        return state.championLocation != null;
    }

    URI champion(RunState state) {
        serveBoth(state);
        return champion;
    }

    URI candidate(RunState state) {
        serveBoth(state);
        return candidate;
    }

    /** Both servers start at once: their start-up (loading Python and the model) is most of the wait. */
    private void serveBoth(RunState state) {
        if (champion != null) {
            return;
        }
        if (state.config.serve() == null) {
            throw new BadInputException("serve: the command that serves a model ({model}, {port}) is required for shadow"
                    + " and canary, unless their URLs are given");
        }
        if (state.config.serve().stream().anyMatch(argument -> argument.contains("{image}"))) {
            requireImage(state.championImage, "the champion (" + state.config.name() + "@" + state.config.champion() + ")");
            requireImage(state.candidateImage, "the candidate");
        }
        ModelServer stable = ModelServer.launch(state, "champion", state.championLocation, state.championImage);
        servers.add(stable);
        ModelServer next = ModelServer.launch(state, "candidate", state.trainedModel().toString(), state.candidateImage);
        servers.add(next);
        stable.awaitReady();
        next.awaitReady();
        // A fresh server answers its first requests slowly (lazy imports, the first predict):
        // warm both alike, so that shadow and canary compare their latency, not their start-up.
        List<String> warmUp = warmUpBodies(state);
        stable.warmUp(warmUp);
        next.warmUp(warmUp);
        state.console.accept("serve: champion at " + stable.uri() + ", candidate at " + next.uri()
                + (warmUp.isEmpty() ? "" : ", both warmed up with " + warmUp.size() + " requests"));
        champion = stable.uri();
        candidate = next.uri();
    }

    private static void requireImage(String image, String which) {
        if (image == null) {
            throw new BadInputException("serve: the command serves {image}, and " + which + " has no image: a package stage"
                    + " before shadow and canary writes the candidate's, and the champion's is its version's "
                    + io.jenkins.plugins.mlops.packaging.ImageDigests.VERSION_TAG + " tag (package it with mlops package)");
        }
    }

    private static List<String> warmUpBodies(RunState state) {
        String replay = state.config.shadow() != null ? state.config.shadow().replay()
                : state.config.canary() != null ? state.config.canary().replay() : null;
        if (replay == null) {
            return List.of();
        }
        List<String> bodies = io.jenkins.plugins.mlops.deploy.traffic.RequestBodies.read(state.path(replay), "replay");
        return bodies.subList(0, Math.min(WARM_UP_REQUESTS, bodies.size()));
    }

    private static final int WARM_UP_REQUESTS = 20;

    @Override
    public void close() {
        servers.forEach(ModelServer::close);
        servers.clear();
    }
}
