package io.jenkins.plugins.mlops.train;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells a GPU request that no node can ever hold from one that waits for busy GPUs or for a
 * cluster autoscaler. A pool's nodes all have the same GPU count, so when nodes of the product
 * asked for exist and the largest offers fewer GPUs than the pod asks, no added node would do
 * better either: waiting out the grace period would only delay the same failure. Where no node of
 * the product exists yet, an autoscaler may still scale a pool up from zero, so that case waits.
 */
final class GpuCapacity {
    private GpuCapacity() {
    }

    /** Why {@code spec} can never be scheduled on a cluster of {@code nodes}, or empty when it may yet be. */
    static Optional<String> neverFits(GpuPodSpec spec, List<Node> nodes) {
        if (spec.gpus() <= 0) {
            return Optional.empty();
        }
        long largest = -1;
        for (Node node : nodes) {
            long gpus = allocatableGpus(node);
            if (gpus > 0 && ofProduct(node, spec.gpuType())) {
                largest = Math.max(largest, gpus);
            }
        }
        if (largest < 0 || largest >= spec.gpus()) {
            return Optional.empty();
        }
        String product = spec.gpuType() == null ? "GPU" : spec.gpuType();
        return Optional.of("the largest " + product + " node offers " + largest + " " + GpuPodSpec.GPU_RESOURCE
                + ", fewer than the " + spec.gpus() + " asked for, so no node of its pool can ever run this pod");
    }

    private static boolean ofProduct(Node node, String gpuType) {
        Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        return gpuType == null || labels != null && Objects.equals(labels.get(GpuPodSpec.GPU_PRODUCT_LABEL), gpuType);
    }

    private static long allocatableGpus(Node node) {
        Quantity gpus = node.getStatus() == null || node.getStatus().getAllocatable() == null ? null
                : node.getStatus().getAllocatable().get(GpuPodSpec.GPU_RESOURCE);
        return gpus == null ? 0 : Quantity.getAmountInBytes(gpus).longValue();
    }
}
