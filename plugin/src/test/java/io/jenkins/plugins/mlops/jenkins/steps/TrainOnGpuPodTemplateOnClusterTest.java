package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import io.jenkins.plugins.mlops.train.GpuPodOptions;
import java.util.ArrayList;
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
        List<GpuPodOptions> combinations = GpuPodOptions.all();
        for (int i = 0; i < combinations.size(); i++) {
            GpuPodOptions options = combinations.get(i);
            TrainOnGpuStep step = new TrainOnGpuStep();
            step.setGpus(options.gpus());
            step.setGpuType(options.gpuType());
            step.setCpu(options.cpu());
            step.setMemory(options.memory());
            step.setShmSize(options.shmSize());
            step.setEnv(options.env());
            step.setSecretEnv(options.secretEnv());
            step.setTimeout(options.timeout());
            step.setNamespace(namespace);
            dryRun(cluster, step, "train-" + i, options.toString(), rejected);
        }

        assertThat("rejected by kube-apiserver", rejected, is(empty()));
        assertThat(combinations.size(), is(384));
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
