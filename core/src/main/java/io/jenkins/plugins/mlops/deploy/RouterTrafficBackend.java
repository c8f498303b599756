package io.jenkins.plugins.mlops.deploy;

import io.jenkins.plugins.mlops.deploy.router.RouterControl;
import java.time.Instant;

/** A rollout backend that is a router: the candidate's weight is the router's split between {@link #STABLE} and {@link #CANDIDATE}. */
abstract class RouterTrafficBackend implements TrafficBackend {
    private final RouterControl router;

    RouterTrafficBackend(RouterControl router) {
        this.router = router;
    }

    @Override
    public void setCandidateWeight(int candidatePercent) {
        router.setWeights(TrafficBackend.split(candidatePercent));
    }

    @Override
    public int candidateWeight() {
        return router.weights().getOrDefault(CANDIDATE, 0);
    }

    @Override
    public VariantWindow observe(String variant, Instant from, Instant to) {
        return router.observe(variant, from, to);
    }
}
