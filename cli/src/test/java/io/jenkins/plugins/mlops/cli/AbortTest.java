package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.k8s.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aborted build: Jenkins (or Ctrl-C) stops the mlops JVM with a signal. The training it started
 * must stop with it: the local process tree, or the Kubernetes Job holding a GPU.
 */
class AbortTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsALocalTrainingTree() throws Exception {
        Path pidFile = dir.resolve("worker.pid");
        Path script = Files.writeString(dir.resolve("hang.py"), """
                import subprocess, sys, time
                worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
                open(sys.argv[1], "w").write(str(worker.pid))
                time.sleep(600)
                """);
        Process mlops = start("train", "--backend", "local", "--gpus", "0", "--timeout", "10m", "--",
                SmokeTrainCommandTest.python(), script.toString(), pidFile.toString());
        awaitTrue(() -> Files.exists(pidFile) && !read(pidFile).isEmpty(), "the worker started");
        long worker = Long.parseLong(read(pidFile));

        mlops.destroy();

        assertThat(mlops.waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitTrue(() -> !ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "the worker is stopped");
    }

    /** On the real control plane: the Job goes, and the garbage collector takes its running pod with it. */
    @Test
    void sigtermDeletesTheKubernetesJobAndItsPod() throws Exception {
        TestCluster cluster = TestCluster.get();
        String namespace = cluster.namespace("abort");
        Process mlops = start("train", "--kubeconfig", cluster.mlopsKubeconfig().toString(), "--namespace", namespace,
                "--image", "img", "--poll-interval", "50ms", "--", "python", "train.py");
        cluster.awaitPod(namespace, TestCluster.running(), "the training pod running");

        mlops.destroy();

        assertThat(mlops.waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitTrue(() -> cluster.admin().batch().v1().jobs().inNamespace(namespace).list().getItems().isEmpty(), "the Job is deleted");
        awaitTrue(() -> cluster.admin().pods().inNamespace(namespace).list().getItems().isEmpty(), "its pod is removed");
    }

    /** The mlops command in a JVM of its own, on this test's classpath. */
    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), MlopsCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mlops.log").toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private void awaitTrue(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; mlops printed:\n"
                        + (Files.exists(dir.resolve("mlops.log")) ? Files.readString(dir.resolve("mlops.log")) : ""));
            }
            Thread.sleep(50);
        }
    }
}
