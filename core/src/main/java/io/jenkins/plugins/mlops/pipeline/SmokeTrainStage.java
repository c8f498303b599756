package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.train.Perturbation;
import java.io.Serializable;
import java.util.List;

/**
 * The {@code smoke-train} stage: the options of {@code mlops smoke-train}; {@code command} is what follows {@code --},
 * {@code perturb} the perturbed copies of the sample it also runs on.
 */
public record SmokeTrainStage(String data, Long rows, Integer epochs, String timeout, String memory, String label,
        Long seed, String out, List<String> expectOutput, List<String> command, List<String> perturb)
        implements Serializable {

    public SmokeTrainStage {
        data = Keys.required(data, "smoke-train.data");
        rows = rows == null ? 100L : rows;
        epochs = epochs == null ? 2 : epochs;
        timeout = Keys.orDefault(timeout, "5m");
        memory = Keys.orDefault(memory, "2g");
        seed = seed == null ? 42L : seed;
        expectOutput = Keys.list(expectOutput);
        command = Keys.command(command, "smoke-train.command");
        perturb = Keys.list(perturb);
        // A misspelt perturbation is bad input when the file is read, before any stage runs.
        Perturbation.parse(perturb);
    }
}
