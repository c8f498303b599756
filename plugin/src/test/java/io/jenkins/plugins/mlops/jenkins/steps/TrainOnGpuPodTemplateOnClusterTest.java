package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The pod that {@code trainOnGpu(...) { }} hands to the kubernetes plugin, made by the step itself
 * for every combination of the options that shape it, is admitted by a real kube-apiserver
 * (server-side dry run: validated, nothing stored), as the plugin would create it in the step's
 * namespace.
 */
@WithJenkins
class TrainOnGpuPodTemplateOnClusterTest {

    @Test
    void everyOptionCombinationOfTheStepMakesAPodTheApiServerAdmits(JenkinsRule r) throws Exception {
        TestCluster cluster = TestCluster.get();
        String namespace = cluster.namespace("pod-templates");
        MlopsConfiguration.get().setDefaultGpuImage("ghcr.io/acme/train:1.4");
        List<String> rejected = new ArrayList<>();
        int combinations = 0;
        for (int gpus : new int[] {0, 1, 8}) {
            for (String gpuType : Arrays.asList(null, TestCluster.A100)) {
                for (String cpu : Arrays.asList(null, "3500m")) {
                    for (String memory : Arrays.asList(null, "32Gi")) {
                        for (String shmSize : Arrays.asList(null, "64Mi")) {
                            for (String env : Arrays.asList(null, "WANDB_MODE=offline\nSEED=7")) {
                                for (String secretEnv : Arrays.asList(null, "MLFLOW_TRACKING_TOKEN=mlflow:token")) {
                                    for (String timeout : Arrays.asList(null, "30m")) {
                                        TrainOnGpuStep step = new TrainOnGpuStep();
                                        step.setGpus(gpus);
                                        step.setGpuType(gpuType);
                                        step.setCpu(cpu);
                                        step.setMemory(memory);
                                        step.setShmSize(shmSize);
                                        step.setEnv(env);
                                        step.setSecretEnv(secretEnv);
                                        step.setTimeout(timeout);
                                        step.setNamespace(namespace);
                                        String options = "gpus=" + gpus + " gpuType=" + gpuType + " cpu=" + cpu + " memory="
                                                + memory + " shmSize=" + shmSize + " env=" + env + " secretEnv=" + secretEnv
                                                + " timeout=" + timeout;
                                        dryRun(cluster, step, "train-" + combinations, options, rejected);
                                        combinations++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        assertThat("rejected by kube-apiserver", rejected, is(empty()));
        assertThat(combinations, is(384));
    }

    @SuppressWarnings("unchecked")
    private static void dryRun(TestCluster cluster, TrainOnGpuStep step, String name, String options, List<String> rejected)
            throws Exception {
        Map<String, Object> template = (Map<String, Object>) step.podTemplateArguments().get("podTemplate");
        Pod pod = Serialization.unmarshal((String) template.get("yaml"), Pod.class);
        // The kubernetes plugin names the agent pod and creates it in the template's namespace.
        String namespace = (String) template.get("namespace");
        pod.getMetadata().setName(name);
        pod.getMetadata().setNamespace(namespace);
        try {
            cluster.admin().pods().inNamespace(namespace).resource(pod).dryRun().create();
        } catch (KubernetesClientException e) {
            rejected.add(options + ": " + e.getMessage());
        }
    }
}
