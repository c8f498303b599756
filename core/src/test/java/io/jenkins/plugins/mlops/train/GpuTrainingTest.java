package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend, with nvidia-smi answered from a recorded two-GPU sample (no GPU here). */
class GpuTrainingTest {
    private static final String PRINT_DEVICES = "import os, time; print('devices=' + os.environ['CUDA_VISIBLE_DEVICES']);"
            + " time.sleep(0.4)";

    @TempDir
    Path dir;

    @Test
    void parsesNvidiaSmiCsvIncludingUnsupportedFields() throws Exception {
        List<NvidiaSmi.Sample> samples = NvidiaSmi.parse(Files.readString(Path.of(TestPython.script("nvidia-smi-2xh100.csv"))));

        assertThat(samples).hasSize(2);
        assertThat(samples.get(0)).isEqualTo(new NvidiaSmi.Sample("0", "NVIDIA H100 80GB HBM3", 87.0, 61234L, 81559L));
        assertThat(samples.get(1).utilizationPct()).isNull();
        assertThat(NvidiaSmi.parse("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).isEmpty();
    }

    @Test
    void localRunGetsTheFirstGpusAndRecordsTheirUse() {
        List<String> console = new CopyOnWriteArrayList<>();

        TrainResult result = training(Map.of()).runLocal(config(1, PRINT_DEVICES), console::add);

        assertThat(console).contains("devices=0");
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
        assertThat(result.gpuType()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(result.gpuUsage()).singleElement().satisfies(u -> {
            assertThat(u.index()).isEqualTo("0");
            assertThat(u.peakMemoryMib()).isEqualTo(61234);
            assertThat(u.meanUtilizationPct()).isEqualTo(87.0);
        });
        assertThat(result.attempts()).singleElement().satisfies(a -> assertThat(a.pod()).isEqualTo("local"));
        assertThat(check(result, "gpu_usage").status()).isEqualTo(Status.PASS);
        assertThat(result.peakMemoryBytes()).isPositive();
    }

    @Test
    void anAgentsOwnGpuAssignmentIsRespected() {
        List<String> console = new CopyOnWriteArrayList<>();

        TrainResult result = training(Map.of("CUDA_VISIBLE_DEVICES", "1,0")).runLocal(config(1, PRINT_DEVICES), console::add);

        assertThat(console).contains("devices=1");
        // GPU 1 reports no utilisation in the sample: its use is unknown, not idle.
        assertThat(result.gpuUsage()).singleElement().satisfies(u -> assertThat(u.index()).isEqualTo("1"));
    }

    @Test
    void zeroGpusHidesEveryGpu() {
        List<String> console = new CopyOnWriteArrayList<>();

        TrainResult result = training(Map.of()).runLocal(config(0, PRINT_DEVICES), console::add);

        assertThat(console).contains("devices=");
        assertThat(result.checks()).extracting(Check::name).doesNotContain("gpu_usage");
    }

    @Test
    void askingForMoreGpusThanTheMachineHasIsBadInput() {
        assertThatThrownBy(() -> training(Map.of()).runLocal(config(4, PRINT_DEVICES), line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("--gpus 4").hasMessageContaining("2 GPU(s)");
    }

    @Test
    void aGpuOnAMachineThatShowsNoneIsBadInputNotASilentCpuRun() {
        GpuTraining noDriver = new GpuTraining(new LocalProcessLauncher(), Optional.empty(), Duration.ofMillis(100),
                Duration.ofMillis(50), Map.of());
        List<String> console = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> noDriver.runLocal(config(1, PRINT_DEVICES), console::add))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("--gpus 1").hasMessageContaining("nvidia-smi").hasMessageContaining("--gpus 0");
        assertThat(console).noneMatch(line -> line.startsWith("devices="));
    }

    @Test
    void aFailingLocalRunIsClassified() {
        TrainResult result = training(Map.of()).runLocal(config(1,
                "import numpy as np; np.ones((32, 10)) @ np.ones((12, 4))"), line -> { });

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(result.failure()).isEqualTo(FailureKind.SHAPE_MISMATCH);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.summary()).contains("shape mismatch");
    }

    @Test
    void aLocalRunStopsAtTheTimeLimit() {
        TrainConfig slow = new TrainConfig(TrainBackend.LOCAL, List.of(TestPython.python(), "-c", "import time; time.sleep(60)"),
                0, null, null, null, null, "1Gi", Duration.ofSeconds(1), 0, null, "mlops-train", Map.of(), List.of(),
                dir.toString(), Duration.ofMinutes(1));

        TrainResult result = new GpuTraining(new LocalProcessLauncher(), Optional.empty(), Duration.ofMillis(100),
                Duration.ofMillis(50), Map.of()).runLocal(slow, line -> { });

        assertThat(result.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(result.failure()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(check(result, "time_limit").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void jobNamesAreUniqueAndValidLabels() {
        String name = GpuTraining.jobName("churn-train");
        assertThat(name).matches("churn-train-[a-z0-9]{5}");
        assertThat(GpuTraining.jobName("churn-train")).isNotEqualTo(name);
        assertThatThrownBy(() -> new TrainConfig(TrainBackend.KUBERNETES, List.of("python"), 1, null, "img", null, null,
                "1Gi", Duration.ofHours(1), 0, null, "x".repeat(58), Map.of(), List.of(), null, Duration.ofMinutes(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--name");
    }

    private GpuTraining training(Map<String, String> hostEnvironment) {
        // The fake nvidia-smi reads its sample from the environment it inherits from the launcher's JVM:
        // give it a wrapper that exports the sample's path.
        Path wrapper = dir.resolve("nvidia-smi");
        try {
            Files.writeString(wrapper, "#!/bin/sh\nFAKE_NVIDIA_SMI_SAMPLE='" + TestPython.script("nvidia-smi-2xh100.csv")
                    + "' exec sh '" + TestPython.script("fake-nvidia-smi.sh") + "' \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new GpuTraining(new LocalProcessLauncher(), Optional.of(new NvidiaSmi(wrapper)), Duration.ofMillis(100),
                Duration.ofMillis(50), hostEnvironment);
    }

    private TrainConfig config(int gpus, String program) {
        return new TrainConfig(TrainBackend.LOCAL, List.of(TestPython.python(), "-c", program), gpus, null, null, null, null,
                "1Gi", Duration.ofSeconds(60), 0, null, "mlops-train", Map.of(), List.of(), dir.toString(), Duration.ofMinutes(1));
    }

    private static Check check(TrainResult result, String name) {
        return result.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
