package io.jenkins.plugins.mlops.pipeline;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.GpuTraining;
import io.jenkins.plugins.mlops.train.SecretEnv;
import io.jenkins.plugins.mlops.train.TrainBackend;
import io.jenkins.plugins.mlops.train.TrainConfig;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The train stage: full training, locally or as a Kubernetes Job; it must leave the model where {@code model} says. */
final class TrainRun implements Stage {
    private final TrainStage stage;

    TrainRun(TrainStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "train";
    }

    @Override
    public String title() {
        return "Training";
    }

    @Override
    public StageReport run(RunState state) {
        TrainConfig config = new TrainConfig(stage.backend(), stage.command().stream().map(state::expand).toList(),
                stage.gpus(), stage.gpuType(), stage.image(), stage.cpu(), stage.memory(), stage.shmSize(),
                Durations.parse(stage.timeout(), "train.timeout"), stage.retriesOnPreemption(), stage.namespace(),
                stage.name(), stage.env(), stage.secretEnv().stream().map(SecretEnv::parse).toList(),
                state.project.toString(), Durations.parse(stage.unschedulableGrace(), "train.unschedulable-grace"));
        GpuTraining training = new GpuTraining(Duration.ofSeconds(5));
        TrainResult result;
        if (stage.backend() == TrainBackend.LOCAL) {
            result = training.runLocal(config, state.console);
        } else {
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig(state)).build()) {
                result = training.runOnKubernetes(config, config.podSpec(GpuTraining.jobName(stage.name())), client,
                        state.console);
            }
        }
        StageReport report = StageReport.of(result, "train", List.of(TrainPanels.train(result)), Status.FAIL);
        Path model = state.trainedModel();
        if (!report.passed() || Files.exists(model)) {
            return report;
        }
        // A training that exits 0 without its model would fail the gate later, on a missing file, less clearly.
        return new StageReport(result, "train", report.panels(), Status.FAIL,
                "The training command exited 0 but wrote no model at " + model + " (train.model)", false);
    }

    /** The cluster from {@code kubeconfig} and {@code context}, else fabric8's usual search; quick retries. */
    private Config clientConfig(RunState state) {
        Config base;
        try {
            if (stage.kubeconfig() != null) {
                Path file = state.path(stage.kubeconfig());
                if (!Files.isRegularFile(file)) {
                    throw new BadInputException("train.kubeconfig " + file + ": no such file");
                }
                base = Config.fromKubeconfig(stage.context(), new File(file.toString()));
            } else {
                base = Config.autoConfigure(stage.context());
            }
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new InfrastructureException("cannot configure the Kubernetes client: " + e.getMessage(), e);
        }
        return new ConfigBuilder(base).withRequestRetryBackoffLimit(3).withRequestRetryBackoffInterval(250).build();
    }
}
