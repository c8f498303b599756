package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.k8s.ClusterNamespace;
import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mlops train --backend kubernetes} end to end against a real control plane
 * ({@link TestCluster}), with the kubeconfig of a service account that has only mlops's role:
 * the exit codes, the report and the console a CI job sees.
 */
class TrainOnClusterTest {
    @RegisterExtension
    final ClusterNamespace training = new ClusterNamespace("cli-train");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private TestCluster cluster;
    private String namespace;

    @BeforeEach
    void setUp() {
        cluster = training.cluster();
        namespace = training.name();
        cluster.clearTrainingLog();
    }

    @Test
    void trainsOnAGpuOfTheProductAskedForAndReportsTheAttempt() throws Exception {
        Path report = dir.resolve("reports");
        CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() -> run("train", "--kubeconfig",
                cluster.mlopsKubeconfig().toString(), "--namespace", namespace, "--image", "ghcr.io/acme/train:1",
                "--gpus", "2", "--gpu-type", TestCluster.A100, "--memory", "32Gi", "--cpu", "8", "--poll-interval", "100ms",
                "--secret-env", "MLFLOW_TRACKING_TOKEN=mlflow:token", "--report", report.toString(),
                "--", "python", "train.py", "--epochs", "20"));
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");
        assertThat(pod.getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mlflow"));
        cluster.appendTrainingLog("epoch 20/20 loss=0.12");
        TestCluster.await(() -> err.toString().contains("epoch 20/20 loss=0.12"), "the log on the console");
        cluster.endPod(namespace, pod.getMetadata().getName(), 0, null);

        int code = command.get(2, TimeUnit.MINUTES);

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = Json.mapper().readTree(report.resolve("train.json").toFile());
        assertThat(json.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.get("attempts")).hasSize(1);
        assertThat(json.get("attempts").get(0).get("node").asText()).startsWith("gpu-a100-");
        assertThat(json.get("attempts").get(0).get("gpu_type").asText()).isEqualTo(TestCluster.A100);
        assertThat(json.get("attempts").get(0).get("exit_code").asInt()).isZero();
        String token = Files.readString(cluster.mlopsKubeconfig()).replaceAll("(?s).*token: (\\S+).*", "$1");
        try (Stream<Path> files = Files.list(report)) {
            for (Path file : files.toList()) {
                assertThat(file).content().doesNotContain(token);
            }
        }
        assertThat(out.toString() + err).doesNotContain(token);
        TestCluster.await(() -> cluster.admin().batch().v1().jobs().inNamespace(namespace).list().getItems().isEmpty(),
                "the Job deleted");
    }

    @Test
    void aFailingScriptExits1WithItsExitCode() throws Exception {
        CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() -> run("train", "--kubeconfig",
                cluster.mlopsKubeconfig().toString(), "--namespace", namespace, "--image", "ghcr.io/acme/train:1",
                "--poll-interval", "100ms", "--", "python", "train.py"));
        Pod pod = cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");
        cluster.endPod(namespace, pod.getMetadata().getName(), 2, null);

        int code = command.get(2, TimeUnit.MINUTES);

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString() + err).contains("exit code 2");
    }

    @Test
    void sixteenGpusFailWithTheSchedulersReasonAfterTheGrace() throws Exception {
        int code = run("train", "--kubeconfig", cluster.mlopsKubeconfig().toString(), "--namespace", namespace,
                "--image", "ghcr.io/acme/train:1", "--gpus", "16", "--unschedulable-grace", "1s", "--timeout", "1h",
                "--poll-interval", "100ms", "--", "python", "train.py");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString() + err).contains("Insufficient nvidia.com/gpu");
    }

    @Test
    void aNamespaceWithoutTheRoleExits3NamingVerbAndResource() {
        String forbidden = cluster.namespaceWithoutRights("cli-denied");

        int code = run("train", "--kubeconfig", cluster.mlopsKubeconfig().toString(), "--namespace", forbidden,
                "--image", "ghcr.io/acme/train:1", "--", "python", "train.py");

        assertThat(code).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(err.toString()).contains("HTTP 403").contains("cannot create resource \"jobs\"")
                .contains(TestCluster.MLOPS_USER);
    }

    private int run(String... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
