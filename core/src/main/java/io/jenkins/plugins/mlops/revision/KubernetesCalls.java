package io.jenkins.plugins.mlops.revision;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.util.function.Supplier;

/**
 * The API server's refusals, in the step's terms: a namespace that does not exist is the user's
 * input (exit 2); RBAC's denial names the verb and the resource, so its message is passed on as an
 * infrastructure failure (exit 3) the cluster's admin can act on; anything else is the cluster's.
 */
final class KubernetesCalls {
    private KubernetesCalls() {}

    static <T> T call(String namespace, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw translate(namespace, what, e);
        }
    }

    static void run(String namespace, String what, Runnable call) {
        call(namespace, what, () -> {
            call.run();
            return null;
        });
    }

    static RuntimeException translate(String namespace, String what, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        if (e.getCode() == 404 && reason.contains("namespaces \"" + namespace + "\" not found")) {
            return new BadInputException("namespace: '" + namespace + "' does not exist in the cluster", e);
        }
        if (e.getCode() == 403) {
            // A namespace-scoped grant cannot see whether a namespace exists: RBAC answers before the namespace is looked up.
            return new InfrastructureException("cannot " + what + ": the cluster refused: " + reason + " (or namespace '"
                    + namespace + "' does not exist)", e);
        }
        return new InfrastructureException("cannot " + what + ": " + reason, e);
    }
}
