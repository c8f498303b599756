package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;
import java.util.List;

/** The {@code smoke-train} stage: the options of {@code mlops smoke-train}; {@code command} is what follows {@code --}. */
public record SmokeTrainStage(String data, Long rows, Integer epochs, String timeout, String memory, String label,
        Long seed, String out, List<String> expectOutput, List<String> command) implements Serializable {

    public SmokeTrainStage {
        data = Keys.required(data, "smoke-train.data");
        rows = rows == null ? 100L : rows;
        epochs = epochs == null ? 2 : epochs;
        timeout = Keys.orDefault(timeout, "5m");
        memory = Keys.orDefault(memory, "2g");
        seed = seed == null ? 42L : seed;
        expectOutput = Keys.list(expectOutput);
        command = Keys.command(command, "smoke-train.command");
    }
}
