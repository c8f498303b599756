package io.jenkins.plugins.mlops.deploy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlops.io.InfrastructureException;

/**
 * A read-modify-write of a Kubernetes resource that others write too (a GitOps controller, a
 * person with kubectl, Istio's or KServe's own controllers): the update carries the
 * resourceVersion it read, so a write in between makes the API server answer 409 Conflict
 * instead of losing that write; the edit then starts again from a fresh read.
 */
public final class ResourceEdit {
    /** Conflicts come in bursts at most; a resource that changes under every attempt has a writer fighting mlops. */
    static final int ATTEMPTS = 5;

    private ResourceEdit() {}

    /**
     * Runs {@code readModifyWrite} until its update is not refused for a conflict.
     *
     * @param what the resource, for the message, e.g. {@code VirtualService models/churn}
     * @throws InfrastructureException when the API server refuses otherwise, or conflicts {@value #ATTEMPTS} times
     */
    public static void withRetryOnConflict(String what, Runnable readModifyWrite) {
        for (int attempt = 1; ; attempt++) {
            try {
                readModifyWrite.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw new InfrastructureException("cannot update " + what + (e.getCode() == 409 ? " (changed by another writer "
                            + ATTEMPTS + " times while mlops wrote it)" : "") + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
