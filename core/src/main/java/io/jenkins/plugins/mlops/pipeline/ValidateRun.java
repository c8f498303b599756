package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.report.ValidationPanels;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The validate stage; under {@code on-drift: retrain} drift is the reason to go on, not to stop. */
final class ValidateRun implements Stage {
    private final ValidateStage stage;

    ValidateRun(ValidateStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "validate";
    }

    @Override
    public String title() {
        return "Data validation";
    }

    @Override
    public StageReport run(RunState state) {
        ValidateDataParameters parameters = stage.parameters(state::expand).build();
        ValidationResult result = new DataValidator(state.console).validate(parameters.config(state.project));
        state.validationReport = state.runDir.resolve("validation.json");
        Status threshold = parameters.failAt();
        StageReport report = StageReport.of(result, "validation", ValidationPanels.render(result), threshold);
        List<Check> failing = result.checks().stream().filter(check -> check.status().isAtLeast(threshold)).toList();
        boolean onlyDrift = !failing.isEmpty() && failing.stream().allMatch(DriftCheck::comparesWithReference);
        if (report.passed() || !onlyDrift || stage.onDrift() != ValidateStage.OnDrift.RETRAIN) {
            return report;
        }
        state.driftDetected = true;
        Set<String> columns = new TreeSet<>();
        failing.forEach(check -> columns.add(check.column() == null ? "(table)" : check.column()));
        return new StageReport(result, "validation", report.panels(), Status.WARN,
                "Drift detected in " + String.join(", ", columns) + ": retraining on the new data (on-drift: retrain)",
                true);
    }
}
