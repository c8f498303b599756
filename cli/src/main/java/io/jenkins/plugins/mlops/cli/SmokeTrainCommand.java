package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.train.SmokeTrainParameters;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.SmokeTraining;
import java.util.List;
import picocli.CommandLine.Command;

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
public final class SmokeTrainCommand extends StepCommand<SmokeTrainResult> implements CatalogueOptions.Bound {

    @Override
    public ParameterCatalogue catalogue() {
        return SmokeTrainParameters.CATALOGUE;
    }

    @Override
    protected SmokeTrainResult runStep() {
        SmokeTrainParameters parameters = SmokeTrainParameters.builder().setAll(CatalogueOptions.values(spec, catalogue())).build();
        return new SmokeTraining().run(parameters.config(null), this::progress);
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
