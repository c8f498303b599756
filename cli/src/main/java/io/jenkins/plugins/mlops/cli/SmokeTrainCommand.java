package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.train.Perturbation;
import io.jenkins.plugins.mlops.train.SmokeTrainConfig;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.SmokeTraining;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops smoke-train}: the training command on a small sample, under limits, in seconds. */
@Command(name = "smoke-train",
        description = "Runs the training command on a small sample for a couple of epochs under a time and a memory"
                + " limit, and names the failure: OUT_OF_MEMORY, SHAPE_MISMATCH, MISSING_DEPENDENCY, NAN_LOSS,"
                + " TIMEOUT, MISSING_OUTPUT or CRASH. {data}, {epochs} and {out} in the command are replaced; the"
                + " command also sees MLOPS_SMOKE=1, MLOPS_SMOKE_ROWS and MLOPS_EPOCHS.",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = MlopsCommand.Version.class,
        footerHeading = "%nExample:%n",
        footer = {
            "  mlops smoke-train --data data/train.csv --label churned \\",
            "      --expect-output '{out}/model.pkl' --perturb nan,unseen-category --report reports \\",
            "      -- python train.py --data {data} --epochs {epochs} --model-dir {out}",
            "",
            "Exit codes: 0 passed, 1 the script failed, 2 bad input."
        })
public final class SmokeTrainCommand extends StepCommand<SmokeTrainResult> {

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "Training data: CSV, TSV, Parquet, JSON lines or a JSON array.")
    String data;

    @Option(names = "--rows", defaultValue = "100", showDefaultValue = Visibility.ALWAYS, paramLabel = "N",
            description = "Rows in the sample.")
    long rows;

    @Option(names = "--epochs", defaultValue = "2", showDefaultValue = Visibility.ALWAYS, paramLabel = "N",
            description = "Epochs, passed as {epochs} and MLOPS_EPOCHS.")
    int epochs;

    @Option(names = "--timeout", defaultValue = "5m", showDefaultValue = Visibility.ALWAYS, paramLabel = "DURATION",
            converter = DurationConverter.class, description = "Time limit; the whole process tree is stopped after it.")
    Duration timeout;

    @Option(names = "--memory", defaultValue = "2g", showDefaultValue = Visibility.ALWAYS, paramLabel = "SIZE",
            converter = ByteSizeConverter.class,
            description = "Limit on the resident memory of the whole process tree, e.g. 512m, 2g: a cgroup where one is"
                    + " writable, else sampled from /proc; the tree is killed at it (OUT_OF_MEMORY).")
    long memory;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "Stratify the sample by this column, so that every class is in it.")
    String label;

    @Option(names = "--seed", defaultValue = "42", showDefaultValue = Visibility.ALWAYS, paramLabel = "N",
            description = "Seed of the sample: the same seed and data give the same rows.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory passed as {out} (default: a temporary one, removed afterwards).")
    String out;

    @Option(names = "--expect-output", paramLabel = "PATH",
            description = "A file the script must write during the run (repeatable; {out} allowed, e.g. '{out}/model.pkl').")
    List<String> expectOutputs = new ArrayList<>();

    @Option(names = "--perturb", paramLabel = "NAME",
            description = "Once the plain sample passed, also run the command on perturbed copies of it and name how it"
                    + " ends on each: nan (an empty value in 1 of 10 rows of every feature column), unseen-category (a"
                    + " value the data never had in every text column), empty-column[=COLUMN] (one column all empty)."
                    + " Comma-separated or repeated; each costs one more run.")
    List<String> perturb = new ArrayList<>();

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The training command and its arguments, after --. Run as is, without a shell.")
    List<String> command = new ArrayList<>();

    @Override
    protected SmokeTrainResult runStep() {
        SmokeTrainConfig config = new SmokeTrainConfig(data, rows, epochs, timeout, memory, label, seed, out,
                expectOutputs, null, command, Perturbation.parse(perturb));
        return new SmokeTraining().run(config, this::progress);
    }

    @Override
    protected String reportName() {
        return "smoke";
    }

    @Override
    protected String reportTitle() {
        return "Smoke training";
    }

    @Override
    protected List<String> reportPanels(SmokeTrainResult result) {
        return List.of(TrainPanels.smoke(result));
    }
}
