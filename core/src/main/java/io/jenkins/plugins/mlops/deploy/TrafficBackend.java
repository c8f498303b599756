package io.jenkins.plugins.mlops.deploy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a rollout sets traffic weights and reads what each variant did: the embedded router,
 * an Istio VirtualService or a KServe InferenceService. The rollout controller and the A/B runner
 * talk to this alone, so a judge tested against one backend judges the same way on all of them.
 */
public interface TrafficBackend extends AutoCloseable {

    /** The variant names a rollout uses: the current model and the one being rolled out. */
    String STABLE = "stable";
    String CANDIDATE = "candidate";

    /**
     * Sends {@code candidatePercent} of traffic (0..100) to the candidate and the rest to stable.
     * Returns once the backend has accepted the weights (the router switched, the resource was
     * written); a backend that cannot apply them throws {@code InfrastructureException}.
     */
    void setCandidateWeight(int candidatePercent);

    /** The router's weights for {@code candidatePercent} to the candidate, the rest to stable; a value out of 0..100 is bad input. */
    static Map<String, Integer> split(int candidatePercent) {
        if (candidatePercent < 0 || candidatePercent > 100) {
            throw new BadInputException("candidate weight " + candidatePercent + " is not a percent in 0..100");
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(STABLE, 100 - candidatePercent);
        weights.put(CANDIDATE, candidatePercent);
        return weights;
    }

    /** The candidate's weight the backend holds now (after a restart, what it resumed at). */
    int candidateWeight();

    /** What {@code variant} served in {@code [from, to)}: counts, latencies, predictions. */
    VariantWindow observe(String variant, Instant from, Instant to);

    /** One line for logs and reports, e.g. "embedded router on 127.0.0.1:8080". */
    String describe();

    @Override
    void close();
}
