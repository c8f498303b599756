package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuCapacityTest {
    private static final List<Node> CLUSTER = List.of(gpuNode("a100-1", "NVIDIA-A100-SXM4-80GB", 8),
            gpuNode("h100-1", "NVIDIA-H100-80GB-HBM3", 4), cpuNode("cpu-1"));

    @Test
    void moreGpusThanTheLargestNodeOfTheProductNeverFit() {
        assertThat(GpuCapacity.neverFits(spec(16, null), CLUSTER)).hasValueSatisfying(reason ->
                assertThat(reason).contains("the largest GPU node offers 8 nvidia.com/gpu, fewer than the 16 asked for"));
        assertThat(GpuCapacity.neverFits(spec(8, "NVIDIA-H100-80GB-HBM3"), CLUSTER)).hasValueSatisfying(reason ->
                assertThat(reason).contains("the largest NVIDIA-H100-80GB-HBM3 node offers 4"));
    }

    @Test
    void whatBusyGpusOrAnAutoscalerMayYetServeWaits() {
        assertThat(GpuCapacity.neverFits(spec(8, null), CLUSTER)).as("fits the A100 node once it is free").isEmpty();
        assertThat(GpuCapacity.neverFits(spec(1, "NVIDIA-B200"), CLUSTER)).as("a pool scaled to zero").isEmpty();
        assertThat(GpuCapacity.neverFits(spec(16, null), List.of(cpuNode("cpu-1")))).as("no GPU node yet").isEmpty();
        assertThat(GpuCapacity.neverFits(spec(0, null), CLUSTER)).isEmpty();
    }

    private static GpuPodSpec spec(int gpus, String gpuType) {
        return new GpuPodSpec("job", "ml", "img", List.of("python", "train.py"), gpus, gpuType, "4", "16Gi", "8Gi",
                Duration.ofHours(1), 1, Map.of(), List.of(), Map.of());
    }

    private static Node gpuNode(String name, String product, int gpus) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels(GpuPodSpec.GPU_PRODUCT_LABEL, product)
                .endMetadata().withNewStatus().addToAllocatable(GpuPodSpec.GPU_RESOURCE, new Quantity(String.valueOf(gpus)))
                .addToAllocatable("cpu", new Quantity("64")).endStatus().build();
    }

    private static Node cpuNode(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addToAllocatable("cpu", new Quantity("16")).endStatus().build();
    }
}
