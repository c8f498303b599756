package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.gate.GateModel;
import io.jenkins.plugins.mlops.gate.GateParameters;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.pipeline.RegistryBaselines;
import io.jenkins.plugins.mlops.report.GatePanels;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlops gate}: the candidate against the production model on the same hold-out rows. */
@Command(
        name = "gate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compare a candidate model with the baseline (production) model on the same hold-out set and decide "
                    + "whether the candidate may ship.",
            "Metrics come with paired bootstrap confidence intervals of the difference; the policy's rules decide. "
                    + "Anything the gate cannot evaluate (a missing column, NaN values, an undefined metric) fails it."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  the candidate passes the policy",
            "  1  the candidate fails, or the gate cannot evaluate it (fails closed)",
            "  2  bad input: unreadable files, unmatched ids, a broken policy, bad options",
            "",
            "Example:",
            "  mlops gate --baseline prod.parquet --candidate cand.parquet --id id \\",
            "    --label churned --prediction pred --score proba \\",
            "    --metric roc_auc --metric log_loss --report reports/gate",
            "  mlops gate --baseline prod.csv --candidate cand.csv --label churned --score proba --metric roc_auc"
        })
public final class GateCommand extends StepCommand<GateResult> implements CatalogueOptions.Bound {

    /** Where --baseline-model looks, and how long it may take. */
    @Mixin
    RegistryOptions registry;

    @Override
    public ParameterCatalogue catalogue() {
        return GateParameters.CATALOGUE;
    }

    @Override
    protected GateResult runStep() {
        registry.timeout();
        GateParameters parameters = GateParameters.builder().setAll(CatalogueOptions.values(spec, catalogue())).build();
        return new GateModel(RegistryBaselines.in(() -> registry.open(this::progress), this::progress), this::progress)
                .run(parameters, Path.of(""));
    }

    @Override
    protected String reportName() {
        return "gate";
    }

    @Override
    protected String reportTitle() {
        return "Model gate";
    }

    @Override
    protected List<String> reportPanels(GateResult result) {
        return GatePanels.panels(result);
    }
}
