package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.k8s.TestCluster;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.Registration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops deploy}'s exit codes and messages: what a user gets wrong is 2, a cluster that
 * refuses is 3 naming the verb and resource. The deploy itself runs on the cluster in core's
 * IstioDeployTest.
 */
class DeployCommandTest {
    private static final String IMAGE = "registry.example.com/team/churn@sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    @BeforeEach
    void registry() {
        LocalRegistry models = new LocalRegistry(dir.resolve("models"), line -> { });
        models.register(new Registration("churn", ModelSource.parse("s3://bucket/churn/1"), null, List.of(), Map.of(),
                Map.of(), null, null, null, "deploy-command-1"));
        models.setTag("churn", 1, ImageDigests.VERSION_TAG, IMAGE);
    }

    @Test
    void badModelsImagesAndOptionsAreBadInput() {
        assertExit(2, "virtualService: required", "--model", "models:/churn/1");
        assertExit(2, "is not a registered model version", "--model", "runs:/abc/model", "--virtual-service", "churn");
        assertExit(2, "names no digest", "--model", "models:/churn/1", "--virtual-service", "churn", "--image",
                "registry.example.com/team/churn:1");
        assertExit(2, "refusing an image the registry version does not name", "--model", "models:/churn/1",
                "--virtual-service", "churn", "--image", "registry.example.com/team/churn@sha256:" + "cd".repeat(32));
        assertExit(2, "model 'churn' has no version 9", "--model", "models:/churn/9", "--virtual-service", "churn");
        assertExit(2, "cpu: 'lots' is not a Kubernetes quantity", "--model", "models:/churn/1", "--virtual-service", "churn",
                "--cpu", "lots");
        assertExit(2, "--kubeconfig nowhere.yaml: no such file", "--model", "models:/churn/1", "--virtual-service", "churn",
                "--kubeconfig", "nowhere.yaml");
    }

    @Test
    void aClusterThatRefusesIsExit3NamingTheVerbAndResource() {
        TestCluster cluster = TestCluster.get();
        String denied = cluster.namespaceWithoutRights("deploy-cli");
        try {
            assertExit(3, "cannot patch resource \"deployments\" in API group \"apps\"", "--model", "models:/churn/1",
                    "--virtual-service", "churn", "--namespace", denied, "--kubeconfig", cluster.mlopsKubeconfig().toString());
            assertThat(cluster.admin().apps().deployments().inNamespace(denied).list().getItems()).isEmpty();
        } finally {
            cluster.admin().namespaces().withName(denied).delete();
        }
    }

    private void assertExit(int code, String message, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "deploy";
        args[1] = "--registry";
        args[2] = "file:" + dir.resolve("models");
        System.arraycopy(options, 0, args, 3, options.length);
        InProcess run = InProcess.mlops(args);
        assertThat(run.code()).as(run.err()).isEqualTo(code);
        assertThat(run.err()).contains(message);
    }
}
