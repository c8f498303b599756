package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuPodSpecTest {

    static GpuPodSpec spec(int gpus, String gpuType) {
        return new GpuPodSpec("mlops-train-abc12", "ml", "ghcr.io/acme/churn-train:1.4", List.of("python", "train.py", "--epochs", "20"),
                gpus, gpuType, "8", "32Gi", "16Gi", Duration.ofHours(6), 3, Map.of("WANDB_MODE", "offline"),
                List.of(SecretEnv.parse("MLFLOW_TRACKING_TOKEN=mlflow:token")), Map.of("team", "churn"));
    }

    @Test
    void jobAsksForGpusOnTheRightNodesWithSharedMemoryAndDeadlines() {
        Job job = Serialization.unmarshal(spec(2, "NVIDIA-A100-SXM4-80GB").jobYaml(), Job.class);

        assertThat(job.getMetadata().getName()).isEqualTo("mlops-train-abc12");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "mlops")
                .containsEntry("app.kubernetes.io/instance", "mlops-train-abc12").containsEntry("team", "churn");
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(6 * 3600L);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(3);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getNodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
            assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Gi"));
        });
        Container train = pod.getContainers().get(0);
        assertThat(train.getName()).isEqualTo("train");
        assertThat(train.getCommand()).containsExactly("python", "train.py", "--epochs", "20");
        assertThat(train.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("32Gi")).containsEntry("cpu", new Quantity("8"));
        assertThat(train.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/dev/shm"));
        assertThat(train.getEnv()).extracting(EnvVar::getName).containsExactly("WANDB_MODE", "MLFLOW_TRACKING_TOKEN");
        EnvVar token = train.getEnv().get(1);
        assertThat(token.getValue()).isNull();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mlflow");
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    }

    @Test
    void preemptionIsRetriedAndAFailingScriptFailsTheJobAtOnce() {
        List<PodFailurePolicyRule> rules = spec(1, null).job().getSpec().getPodFailurePolicy().getRules();

        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).getAction()).isEqualTo("Count");
        assertThat(rules.get(0).getOnPodConditions()).singleElement()
                .satisfies(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
        assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
        assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("train");
        assertThat(rules.get(1).getOnExitCodes().getOperator()).isEqualTo("NotIn");
        assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(0);
    }

    @Test
    void podTemplateIdlesForTheKubernetesPluginAndCarriesTheDeadline() {
        Pod pod = Serialization.unmarshal(spec(1, "Tesla-T4").podTemplateYaml(), Pod.class);

        assertThat(pod.getKind()).isEqualTo("Pod");
        Container train = pod.getSpec().getContainers().get(0);
        assertThat(train.getName()).isEqualTo("train");
        assertThat(train.getCommand()).containsExactly("sleep");
        assertThat(train.getArgs()).containsExactly("infinity");
        assertThat(train.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(6 * 3600L);
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("nvidia.com/gpu.product", "Tesla-T4");
        assertThat(spec(1, "Tesla-T4").podTemplateYaml()).doesNotStartWith("---").contains("kind: \"Pod\"");
    }

    @Test
    void aCpuOnlyPodHasNoGpuResourceNorToleration() {
        PodSpec pod = spec(0, null).job().getSpec().getTemplate().getSpec();

        assertThat(pod.getTolerations()).isEmpty();
        assertThat(pod.getNodeSelector()).isEmpty();
        assertThat(pod.getContainers().get(0).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void invalidValuesNameTheOption() {
        assertThatThrownBy(() -> withMemory("lots")).isInstanceOf(BadInputException.class).hasMessageContaining("--memory");
        assertThatThrownBy(() -> withMemory("-1Gi")).isInstanceOf(BadInputException.class).hasMessageContaining("--memory");
        assertThatThrownBy(() -> new GpuPodSpec("Bad_Name", null, "img", List.of("python"), 1, null, null, null, "1Gi",
                Duration.ofHours(1), 0, Map.of(), List.of(), Map.of())).isInstanceOf(BadInputException.class).hasMessageContaining("--name");
        assertThatThrownBy(() -> new GpuPodSpec("ok", null, " ", List.of("python"), 1, null, null, null, "1Gi",
                Duration.ofHours(1), 0, Map.of(), List.of(), Map.of())).isInstanceOf(BadInputException.class).hasMessageContaining("--image");
        assertThatThrownBy(() -> SecretEnv.parse("TOKEN=no-key")).isInstanceOf(BadInputException.class).hasMessageContaining("NAME=SECRET:KEY");
        assertThatThrownBy(() -> SecretEnv.parse("1X=s:k")).isInstanceOf(BadInputException.class);
    }

    private static GpuPodSpec withMemory(String memory) {
        return new GpuPodSpec("ok", null, "img", List.of("python"), 1, null, null, memory, "1Gi", Duration.ofHours(1), 0,
                Map.of(), List.of(), Map.of());
    }
}
