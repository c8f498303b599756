package io.jenkins.plugins.mlops.deploy;

import io.jenkins.plugins.mlops.deploy.router.RouterClient;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.Map;

/**
 * A router that runs on its own ({@code mlops router}, a Kubernetes Deployment) as a rollout
 * backend, driven through its admin API: the same weights and windows as {@link EmbeddedTrafficBackend},
 * but the router outlives the rollout, so closing the backend leaves it serving at the weights the
 * rollout ended with. The router must have the variants {@link #STABLE} and {@link #CANDIDATE}.
 */
public final class RemoteTrafficBackend extends RouterTrafficBackend {
    private final RouterClient router;

    public RemoteTrafficBackend(RouterClient router) {
        super(router);
        Map<String, Integer> weights = router.weights();
        if (!weights.containsKey(STABLE) || !weights.containsKey(CANDIDATE)) {
            throw new BadInputException(router + " has the variants " + weights.keySet() + "; a canary needs '" + STABLE
                    + "' and '" + CANDIDATE + "' (mlops router --variant stable=URL --variant candidate=URL)");
        }
        this.router = router;
    }

    @Override
    public String describe() {
        return "router at " + router.uri().getAuthority() + " (admin API)";
    }

    /** The router keeps running: it is not the rollout's to stop. */
    @Override
    public void close() {}
}
