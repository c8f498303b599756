package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import hudson.model.Result;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.deploy.istio.IstioTrafficBackend;
import io.jenkins.plugins.mlops.jenkins.actions.DeployAction;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.Registration;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * deployModel as a thin adapter, against the real API server of the test cluster as the mlops
 * service account: the candidate deployed at weight 0 and its subset returned to the Pipeline, an
 * image the version does not name failing the build with nothing applied, and the rollback.
 */
@WithJenkins
class DeployModelStepOnClusterTest {
    private static final String IMAGE = "registry.example.com/team/churn@sha256:" + "ab".repeat(32);

    @Test
    void deploysTheCandidateReturnsItsSubsetRefusesAnotherDigestAndRollsBack(JenkinsRule r) throws Exception {
        TestCluster cluster = TestCluster.get();
        String namespace = cluster.namespace("deploy-step");
        try {
            WorkflowJob job = r.createProject(WorkflowJob.class, "deploy");
            File registry = new File(r.jenkins.getWorkspaceFor(job).getRemote(), "models");
            LocalRegistry models = new LocalRegistry(registry.toPath(), line -> { });
            models.register(new Registration("churn", ModelSource.parse("s3://bucket/churn/1"), null, List.of(), Map.of(),
                    Map.of(), null, null, null, "deploy-step-1"));
            models.setTag("churn", 1, ImageDigests.VERSION_TAG, IMAGE);
            createUsersResources(cluster, namespace);
            String common = "model: 'models:/churn/1', registry: 'file:models', virtualService: 'churn', namespace: '"
                    + namespace + "', kubeconfig: '" + cluster.mlopsKubeconfig() + "'";

            job.setDefinition(new CpsFlowDefinition("node { def d = deployModel " + common + "\n"
                    + "echo \"subset=${d.candidate_subset} workload=${d.workload}\" }", true));
            WorkflowRun deployed = r.buildAndAssertSuccess(job);
            r.assertLogContains("subset=v1 workload=churn-v1", deployed);
            assertThat(deployed.getAction(DeployAction.class).getResult().image(), is(IMAGE));
            assertThat(cluster.admin().apps().deployments().inNamespace(namespace).withName("churn-v1").get()
                    .getStatus().getReadyReplicas(), is(1));

            job.setDefinition(new CpsFlowDefinition("node { deployModel " + common + ", candidateSubset: 'other', image: "
                    + "'registry.example.com/team/churn@sha256:" + "cd".repeat(32) + "' }", true));
            WorkflowRun refused = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
            r.assertLogContains("refusing an image the registry version does not name", refused);
            assertThat(cluster.admin().apps().deployments().inNamespace(namespace).withName("churn-other").get(), is(nullValue()));

            job.setDefinition(new CpsFlowDefinition("node { deployModel " + common + ", rollback: true }", true));
            r.buildAndAssertSuccess(job);
            assertThat(cluster.admin().apps().deployments().inNamespace(namespace).list().getItems(), is(empty()));
        } finally {
            cluster.admin().namespaces().withName(namespace).delete();
        }
    }

    private static void createUsersResources(TestCluster cluster, String namespace) {
        cluster.admin().genericKubernetesResources(IstioTrafficBackend.VIRTUAL_SERVICE).inNamespace(namespace)
                .resource(Serialization.unmarshal("""
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: churn}
                        spec:
                          hosts: [churn]
                          http:
                          - route:
                            - destination: {host: churn, subset: stable}
                        """, GenericKubernetesResource.class)).create();
        cluster.admin().genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io").withVersion("v1").withKind("DestinationRule").withPlural("destinationrules")
                .withNamespaced(true).build()).inNamespace(namespace).resource(Serialization.unmarshal("""
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: churn}
                        spec:
                          host: churn
                          subsets:
                          - name: stable
                            labels: {version: stable}
                        """, GenericKubernetesResource.class)).create();
    }
}
