package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Node;
import hudson.model.Result;
import hudson.util.Secret;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import org.csanchez.jenkins.plugins.kubernetes.KubernetesCloud;
import org.csanchez.jenkins.plugins.kubernetes.KubernetesSlave;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code trainOnGpu(gpus: 2, gpuType: ...) { }} through the kubernetes plugin, with a Kubernetes
 * cloud pointed at the real test cluster: the agent pod the plugin creates lands, by the real
 * scheduler, on a GPU node of that product with the GPUs requested, beside the plugin's own agent
 * container. kwok runs no process, so the agent never connects and the body cannot run there:
 * the test asserts the pod and its scheduling, aborts the build and has the plugin remove the agent.
 */
@WithJenkins
class TrainOnGpuAgentOnClusterTest {
    static {
        // Jenkins first provisions agents 100 s after it starts (10 load-statistics clocks); this test has nothing to wait for.
        System.setProperty("hudson.slaves.NodeProvisioner.initialDelay", "0");
    }

    @Test
    void theAgentPodLandsOnAGpuNodeOfTheProductWithTheGpusAskedFor(JenkinsRule r) throws Exception {
        TestCluster cluster = TestCluster.get();
        String namespace = cluster.namespace("agents");
        // The cloud's identity: a service account that may run pods in the namespace (the edit role), as Jenkins' would.
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "test-cluster", "the test cluster's jenkins service account",
                Secret.fromString(cluster.serviceAccountToken(namespace, "jenkins", "edit"))));
        KubernetesCloud cloud = new KubernetesCloud("kubernetes");
        cloud.setServerUrl(cluster.apiServer());
        cloud.setServerCertificate(cluster.caCertificatePem());
        cloud.setCredentialsId("test-cluster");
        cloud.setNamespace(namespace);
        cloud.setJenkinsUrl(r.getURL().toString());
        r.jenkins.clouds.add(cloud);
        MlopsConfiguration.get().setDefaultGpuImage("ghcr.io/acme/train:1.4");
        WorkflowJob job = r.createProject(WorkflowJob.class, "train");
        job.setDefinition(new CpsFlowDefinition("trainOnGpu(gpus: 2, gpuType: '" + TestCluster.A100 + "', namespace: '"
                + namespace + "') { echo 'the body ran' }", true));

        WorkflowRun build = job.scheduleBuild2(0).waitForStart();
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the agent pod running");

        assertThat(cluster.node(pod).getMetadata().getLabels().get("nvidia.com/gpu.product"), is(TestCluster.A100));
        Container train = pod.getSpec().getContainers().stream().filter(c -> "train".equals(c.getName())).findFirst()
                .orElseThrow();
        assertThat(train.getResources().getLimits().get("nvidia.com/gpu"), is(new Quantity("2")));
        assertThat(pod.getSpec().getContainers().stream().map(Container::getName).toList(), hasItem("jnlp"));
        build.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
        r.assertLogNotContains("the body ran", build);
        // The agent never connected, so the plugin would give it up after its connect timeout (1000 s by default) and
        // terminate it; terminating it now takes the same path: the pod is deleted with the cloud's credentials.
        for (Node node : r.jenkins.getNodes()) {
            if (node instanceof KubernetesSlave agent) {
                agent.terminate();
            }
        }
        TestCluster.await(() -> cluster.admin().pods().inNamespace(namespace).list().getItems().isEmpty(),
                "the kubernetes plugin to delete the agent pod");
    }
}
