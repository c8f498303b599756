package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.result.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mlops train} without a cluster to train on: dry runs, bad input, an unreachable cluster (fabric8's mock
 * stands in for the kubeconfig's server) and the local backend. Training on a real control plane: {@link TrainOnClusterTest}.
 */
@EnableKubernetesMockClient(crud = true)
class TrainCommandTest {
    private static final String TOKEN = "kubeconfig-token-that-must-not-leak";
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void dryRunPrintsTheJobAndThePodTemplate() {
        int code = run("train", "--dry-run", "--gpus", "2", "--gpu-type", "NVIDIA-L4", "--image", "ghcr.io/acme/train:1",
                "--memory", "32Gi", "--namespace", "ml", "--", "python", "train.py");

        assertThat(code).as(err.toString()).isZero();
        Job job = Serialization.unmarshal(out.toString(), Job.class);
        assertThat(job.getMetadata().getName()).startsWith("mlops-train-");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("nvidia.com/gpu.product", "NVIDIA-L4");
        assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems()).isEmpty();

        out.getBuffer().setLength(0);
        assertThat(run("train", "--dry-run=pod-template", "--image", "img", "--", "python", "train.py")).isZero();
        Pod pod = Serialization.unmarshal(out.toString(), Pod.class);
        assertThat(pod.getSpec().getContainers().get(0).getName()).isEqualTo("train");
    }

    @Test
    void anUnreachableClusterExits3() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int code = run("train", "--kubeconfig", kubeconfig("https://127.0.0.1:" + closedPort).toString(), "--image", "img",
                "--", "python", "train.py");

        assertThat(code).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(err.toString()).contains("cannot reach the Kubernetes API");
    }

    @Test
    void badInputExits2BeforeTheClusterIsAsked() {
        assertThat(run("train", "--kubeconfig", dir.resolve("none").toString(), "--", "python", "train.py"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--image");
        assertThat(run("train", "--image", "img", "--memory", "lots", "--dry-run", "--", "python")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("train", "--image", "img", "--secret-env", "TOKEN", "--dry-run", "--", "python"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("train", "--image", "img", "--backend", "cloud", "--", "python")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void localBackendRunsHereAndFailsWithTheScript() throws Exception {
        Path report = dir.resolve("reports");

        int ok = run("train", "--backend", "local", "--gpus", "0", "--report", report.toString(), "--",
                SmokeTrainCommandTest.python(), "-c", "print('trained on', __import__('os').environ['CUDA_VISIBLE_DEVICES'] or 'cpu')");
        int failed = run("train", "--backend", "local", "--gpus", "0", "--", SmokeTrainCommandTest.python(), "-c",
                "import mlops_no_such_module");

        assertThat(ok).as(err.toString()).isZero();
        assertThat(err.toString()).contains("trained on cpu");
        JsonNode json = Json.mapper().readTree(report.resolve("train.json").toFile());
        assertThat(json.get("backend").asText()).isEqualTo("LOCAL");
        assertThat(json.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(failed).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains("missing a dependency");
    }

    private Job awaitJob() throws InterruptedException {
        // Bounded generously: the launcher starts on a busy machine's spare cycles, and waiting costs nothing.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<Job> jobs = client.batch().v1().jobs().inNamespace("ml").list().getItems();
            if (!jobs.isEmpty()) {
                return jobs.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no Job was created within 60 s; stderr: " + err);
    }

    private Path kubeconfig(String server) throws Exception {
        return Files.writeString(dir.resolve("kubeconfig-" + Math.abs(server.hashCode())), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    namespace: ml
                    user: ci
                current-context: mock
                users:
                - name: ci
                  user:
                    token: %s
                """.formatted(server, TOKEN));
    }

    private int run(String... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
