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
        ModelServer stable = ModelServer.launch(state, "champion", state.config.serve(), state.championLocation);
        servers.add(stable);
        ModelServer next = ModelServer.launch(state, "candidate", state.config.serve(), state.trainedModel().toString());
        servers.add(next);
        stable.awaitReady();
        next.awaitReady();
        state.console.accept("serve: champion at " + stable.uri() + ", candidate at " + next.uri());
        champion = stable.uri();
        candidate = next.uri();
    }

    @Override
    public void close() {
        servers.forEach(ModelServer::close);
        servers.clear();
    }
}
