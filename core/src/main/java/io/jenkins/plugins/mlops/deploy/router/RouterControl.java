package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.time.Instant;
import java.util.Map;

/** What a rollout changes and reads on a router, whether it runs in this process ({@link Router}) or on its own ({@link RouterClient}). */
public interface RouterControl {
    /** The weights now, by variant. */
    Map<String, Integer> weights();

    /** Switches to these weights, whole percent summing to 100; variants not named get 0. */
    void setWeights(Map<String, Integer> weights);

    /** What {@code variant} served with requests received in {@code [from, to)}. */
    VariantWindow observe(String variant, Instant from, Instant to);
}
