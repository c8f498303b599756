package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.pipeline.DriftCheck;
import io.jenkins.plugins.mlops.pipeline.DriftResult;
import io.jenkins.plugins.mlops.pipeline.JenkinsTrigger;
import io.jenkins.plugins.mlops.report.ValidationPanels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops drift}: the Continuous Training trigger: drift against the training profile, and a Jenkins build when it drifted. */
@Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Tests a batch of data for drift against the training data's profile (saved by `mlops profile`): per-column "
                    + "distribution shift and new categories. Exits 1 when it drifted.",
            "With --trigger, a drift starts a Jenkins build (the retraining pipeline) through the remote API: POST "
                    + "JOB/buildWithParameters as " + JenkinsTrigger.USER_VARIABLE + " with the API token in "
                    + JenkinsTrigger.TOKEN_VARIABLE + ", fetching a CSRF crumb when Jenkins asks for one."
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  no drift", "  1  drift detected (and, with --trigger, the build started)",
            "  2  bad input: missing or malformed data or profile, a bad --trigger URL, missing credentials",
            "  3  Jenkins unreachable or refused the trigger",
            "",
            "Example (a cron job or monitoring step):",
            "  mlops drift --reference-profile train-profile.json --data s3-export/2026-12-01.parquet \\",
            "      --trigger https://ci.example.com/job/churn-train/ --trigger-param REASON=drift"})
public final class DriftCommand extends StepCommand<DriftResult> {
    @Option(names = "--reference-profile", required = true, paramLabel = "PROFILE.json",
            description = "The training data's profile, from `mlops profile`.")
    String referenceProfile;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "The batch to test: a file or a directory; with --engine spark also table:NAME.")
    String data;

    @Option(names = "--trigger", paramLabel = "JOB_URL",
            description = "Start this Jenkins job when the batch drifted, e.g. https://ci.example.com/job/churn-train/.")
    String trigger;

    @Option(names = "--trigger-param", paramLabel = "NAME=VALUE",
            description = "A build parameter of the triggered job (repeatable); DRIFTED_COLUMNS is always passed.")
    Map<String, String> triggerParams = new LinkedHashMap<>();

    @Mixin
    EngineOptions engine;

    /** Where the Jenkins credentials come from; tests give their own. */
    Map<String, String> environment = System.getenv();

    private ValidationResult validation;

    @Override
    protected DriftResult runStep() {
        // The URL and the credentials are checked before the data is scanned: a typo costs nothing.
        JenkinsTrigger jenkins = trigger == null ? null : JenkinsTrigger.fromEnvironment(trigger, environment);
        DriftCheck.Outcome outcome = DriftCheck.run(data, referenceProfile, engine.settings(), this::progress);
        validation = outcome.validation();
        DriftResult result = outcome.result();
        if (jenkins == null || !result.drifted()) {
            return result;
        }
        Map<String, String> parameters = new LinkedHashMap<>(triggerParams);
        parameters.put("DRIFTED_COLUMNS", String.join(",", result.driftedColumns()));
        progress("drift: starting " + trigger);
        return result.withTrigger(jenkins.trigger(parameters));
    }

    @Override
    protected String reportName() {
        return "drift";
    }

    @Override
    protected String reportTitle() {
        return "Drift";
    }

    @Override
    protected List<String> reportPanels(DriftResult result) {
        return validation == null ? List.of() : ValidationPanels.render(validation);
    }
}
