package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.train.TrainBackend;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code train} stage: the options of {@code mlops train}, plus {@code model}.
 *
 * @param model where the command writes the model ({@code {run}} is the run's directory), e.g.
 *     {@code {run}/train/model}; the gate scores it and register registers it
 */
public record TrainStage(TrainBackend backend, Integer gpus, String gpuType, String image, String cpu, String memory,
        String shmSize, String timeout, Integer retriesOnPreemption, String namespace, String name,
        Map<String, String> env, List<String> secretEnv, String unschedulableGrace, String kubeconfig, String context,
        List<String> command, String model) implements Serializable {

    public TrainStage {
        backend = backend == null ? TrainBackend.KUBERNETES : backend;
        gpus = gpus == null ? 1 : gpus;
        shmSize = Keys.orDefault(shmSize, "8Gi");
        timeout = Keys.orDefault(timeout, "24h");
        retriesOnPreemption = retriesOnPreemption == null ? 3 : retriesOnPreemption;
        name = Keys.orDefault(name, "mlops-train");
        env = Keys.map(env);
        secretEnv = Keys.list(secretEnv);
        unschedulableGrace = Keys.orDefault(unschedulableGrace, "10m");
        command = Keys.command(command, "train.command");
        model = Keys.required(model, "train.model");
    }

    /** The same stage with {@code arguments} after its command's own: a training change, as a pull request brings one. */
    public TrainStage withArguments(List<String> arguments) {
        List<String> changed = new ArrayList<>(command);
        changed.addAll(arguments);
        return new TrainStage(backend, gpus, gpuType, image, cpu, memory, shmSize, timeout, retriesOnPreemption, namespace,
                name, env, secretEnv, unschedulableGrace, kubeconfig, context, changed, model);
    }
}
