package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code smokeTrain} runs.
 *
 * @param data the training data (CSV, TSV, Parquet, JSON lines or a JSON array)
 * @param rows rows in the sample
 * @param epochs passed to the script as {@code {epochs}} and {@code MLOPS_EPOCHS}
 * @param timeout time limit for the script
 * @param memoryLimitBytes memory limit for the script
 * @param labelColumn stratify the sample by this column, or {@code null} for a plain random sample
 * @param seed seed of the sample, so that a failure reproduces
 * @param outDir the directory passed as {@code {out}}, or {@code null} for a temporary one that is removed afterwards
 * @param expectOutputs files the script must write (placeholders allowed, e.g. {@code {out}/model.pkl})
 * @param workingDirectory where the script runs (relative paths resolve here), or {@code null} for the current directory
 * @param command the user's command, with placeholders
 * @param perturbations perturbed copies of the sample the command also runs on once the plain sample passed
 */
public record SmokeTrainConfig(String data, long rows, int epochs, Duration timeout, long memoryLimitBytes,
        String labelColumn, long seed, String outDir, List<String> expectOutputs, String workingDirectory,
        List<String> command, List<Perturbation> perturbations) implements Serializable {

    public static final long DEFAULT_ROWS = 100;
    public static final int DEFAULT_EPOCHS = 2;
    public static final long DEFAULT_SEED = 42;

    public SmokeTrainConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timeout, "timeout");
        expectOutputs = List.copyOf(expectOutputs);
        command = List.copyOf(command);
        perturbations = perturbations == null ? List.of() : List.copyOf(perturbations);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new BadInputException("no training command given (put it after --, e.g. -- python train.py --data {data})");
        }
        if (rows < 1) {
            throw new BadInputException("--rows must be at least 1, was " + rows);
        }
        if (epochs < 1) {
            throw new BadInputException("--epochs must be at least 1, was " + epochs);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new BadInputException("--timeout must be longer than zero");
        }
        if (memoryLimitBytes < 1) {
            throw new BadInputException("--memory must be at least 1 byte");
        }
        if (labelColumn != null && labelColumn.isBlank()) {
            throw new BadInputException("--label must name a column");
        }
        Placeholders.check(command);
        Placeholders.check(expectOutputs);
    }

    /** Without perturbations: the plain sample only. */
    public SmokeTrainConfig(String data, long rows, int epochs, Duration timeout, long memoryLimitBytes,
            String labelColumn, long seed, String outDir, List<String> expectOutputs, String workingDirectory,
            List<String> command) {
        this(data, rows, epochs, timeout, memoryLimitBytes, labelColumn, seed, outDir, expectOutputs, workingDirectory,
                command, List.of());
    }
}
