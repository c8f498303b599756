package io.jenkins.plugins.mlops.revision;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for the candidate to serve, and when it does not, the reason its pods give. */
final class Readiness {
    /** How often readiness is read: a pod's readiness probe runs every 5 s, so reading faster learns nothing. */
    static final Duration POLL = Duration.ofSeconds(1);

    private Readiness() {}

    /** Thrown when the deadline passes; the message names the pods' reason (Unschedulable, ImagePullBackOff, ...). */
    static final class NotReadyException extends InfrastructureException {
        private static final long serialVersionUID = 1L;

        NotReadyException(String message) {
            super(message);
        }
    }

    static void await(Duration deadline, BooleanSupplier ready, Supplier<String> reason, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                throw new NotReadyException(what + " was not ready within " + deadline.toSeconds() + " s: " + reason.get());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfrastructureException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Why the pods with {@code labels} are not ready: the scheduler's or the kubelet's reason, pod by pod. */
    static String podsReason(KubernetesClient client, String namespace, Map<String, String> labels) {
        List<Pod> pods = KubernetesCalls.call(namespace, "list the candidate's pods",
                () -> client.pods().inNamespace(namespace).withLabels(labels).list().getItems());
        if (pods.isEmpty()) {
            return "no pods were created (see the ReplicaSet's events: a quota or an admission webhook)";
        }
        List<String> reasons = new ArrayList<>();
        for (Pod pod : pods) {
            reasons.add("pod " + pod.getMetadata().getName() + " " + reason(pod));
        }
        return String.join("; ", reasons);
    }

    private static String reason(Pod pod) {
        if (pod.getStatus() == null) {
            return "has no status yet";
        }
        if (pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return c.getReason() + ": " + c.getMessage();
                }
            }
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
                if (c.getState() != null && c.getState().getWaiting() != null) {
                    return c.getState().getWaiting().getReason() + ": " + c.getState().getWaiting().getMessage();
                }
                if (c.getState() != null && c.getState().getTerminated() != null) {
                    return "exited " + c.getState().getTerminated().getExitCode() + " ("
                            + c.getState().getTerminated().getReason() + "), restarted " + c.getRestartCount() + " times";
                }
                if (!Boolean.TRUE.equals(c.getReady())) {
                    return "is running but its readiness probe (/ping) fails";
                }
            }
        }
        return "is " + pod.getStatus().getPhase();
    }
}
