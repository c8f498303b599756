package io.jenkins.plugins.mlops.jenkins;

import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryPanels;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.ingest.IngestResult;
import io.jenkins.plugins.mlops.packaging.PackageResult;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.report.GatePanels;
import io.jenkins.plugins.mlops.report.RegisterPanels;
import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.report.ValidationPanels;
import io.jenkins.plugins.mlops.result.StepResult;
import io.jenkins.plugins.mlops.revision.DeployResult;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.util.List;
import java.util.function.Function;

/**
 * How one step's result is reported, the same everywhere: the file names of {@code report:} in
 * the workspace (as {@code mlops ... --report} names them), the title and core's panels. The agent
 * writes the files, the build page frames the same page.
 *
 * @param baseName file name stem, e.g. {@code gate} for {@code gate.json}
 * @param title the report's title
 * @param type the result record, which the build's stored JSON is read back into
 * @param panels the step's panels as core renders them
 */
public record ReportKind<R extends StepResult>(String baseName, String title, Class<R> type, Function<R, List<String>> panels) {
    public static final ReportKind<ValidationResult> VALIDATION =
            new ReportKind<>("validation", "Data validation", ValidationResult.class, ValidationPanels::render);
    public static final ReportKind<SmokeTrainResult> SMOKE =
            new ReportKind<>("smoke", "Smoke training", SmokeTrainResult.class, r -> List.of(TrainPanels.smoke(r)));
    public static final ReportKind<TrainResult> TRAIN =
            new ReportKind<>("train", "Training", TrainResult.class, r -> List.of(TrainPanels.train(r)));
    public static final ReportKind<GateResult> GATE = new ReportKind<>("gate", "Model gate", GateResult.class, GatePanels::panels);
    public static final ReportKind<RegisterResult> REGISTRATION =
            new ReportKind<>("register", "Model registration", RegisterResult.class, r -> List.of(RegisterPanels.version(r)));
    public static final ReportKind<IngestResult> INGEST =
            new ReportKind<>("ingest", "Data ingestion", IngestResult.class, r -> List.of());
    public static final ReportKind<PackageResult> PACKAGE =
            new ReportKind<>("package", "Model packaging", PackageResult.class, r -> List.of());
    public static final ReportKind<DeployResult> DEPLOY =
            new ReportKind<>("deploy", "Model deployment", DeployResult.class, r -> List.of());
    public static final ReportKind<ShadowResult> SHADOW =
            new ReportKind<>("shadow", "Shadow deployment", ShadowResult.class, ShadowPanels::panels);
    public static final ReportKind<CanaryResult> CANARY =
            new ReportKind<>("canary", "Canary rollout", CanaryResult.class, CanaryPanels::panels);
}
