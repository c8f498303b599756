package io.jenkins.plugins.mlops.jenkinsfile;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.data.ValidationConfig;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.gate.BaselinePredictions;
import io.jenkins.plugins.mlops.gate.GateConfig;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.gate.Metric;
import io.jenkins.plugins.mlops.gate.ModelGate;
import io.jenkins.plugins.mlops.registry.RegisterConfig;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.report.GatePanels;
import io.jenkins.plugins.mlops.report.RegisterPanels;
import io.jenkins.plugins.mlops.report.ReportWriter;
import io.jenkins.plugins.mlops.report.ValidationPanels;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the mlops steps do in a build, for JenkinsPipelineUnit: {@code validateData}, {@code gateModel}
 * and {@code registerModel} run the real core functions in the test's workspace and return their
 * result as the plugin does (the JSON report's keys); a failed verdict fails the build, or marks it
 * UNSTABLE with {@code unstableOnFailure: true}. Steps that need a cluster or model servers
 * ({@code smokeTrain}'s script, {@code trainOnGpu}, {@code shadowDeploy}, {@code canaryRollout}) are
 * recorded with their arguments, which the test checks.
 */
public final class MlopsBindings {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Path workspace;
    private final String registry;
    private final Consumer<String> buildStatus;
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Map<String, Object>> arguments = new LinkedHashMap<>();

    /**
     * @param registry the registry {@code registerModel} writes to (the global configuration's, in Jenkins)
     * @param buildStatus sets the build's status, as the plugin's steps do
     */
    public MlopsBindings(Path workspace, String registry, Consumer<String> buildStatus) {
        this.workspace = workspace;
        this.registry = registry;
        this.buildStatus = buildStatus;
    }

    /** The mlops steps called, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public Map<String, Object> argumentsOf(String step) {
        return arguments.get(step);
    }

    public Map<String, Object> validateData(Map<String, Object> args) {
        called("validateData", args);
        ValidationConfig config = new ValidationConfig(path(args, "data"), path(args, "reference"),
                path(args, "referenceProfile"), path(args, "schema"), EngineSettings.DEFAULT);
        ValidationResult result = new DataValidator(line -> {}).validate(config);
        report(args, "validation", "Data validation", result, ValidationPanels.render(result));
        return verdict(args, result, "warn".equals(args.get("failOn")) ? Status.WARN : Status.FAIL);
    }

    public Map<String, Object> gateModel(Map<String, Object> args) {
        called("gateModel", args);
        GateConfig config = GateConfig.builder(new BaselinePredictions(path(args, "baseline")), path(args, "candidate"),
                        (String) args.get("label"), (String) args.get("prediction"))
                .score((String) args.get("score")).id((String) args.get("id"))
                .metrics(items(args.get("metric")).stream().map(m -> Metric.fromId(m, "metric")).toList())
                .build();
        GateResult result = ModelGate.run(config, line -> {});
        report(args, "gate", "Model gate", result, GatePanels.panels(result));
        return verdict(args, result, Status.FAIL);
    }

    public Map<String, Object> registerModel(Map<String, Object> args) {
        called("registerModel", args);
        String dataReport = path(args, "validationReport");
        RegisterConfig config = new RegisterConfig(registry, (String) args.get("name"), (String) args.get("model"), null,
                items(args.getOrDefault("alias", "staging")), Map.of(), null, null, null, path(args, "gateReport"),
                dataReport, "0123abcd", "https://jenkins.example.com/job/churn/1/", workspace.toString(), Duration.ofSeconds(30));
        RegisterResult result = RegisterStep.run(config, RegistryCredentials.NONE, line -> {});
        report(args, "register", "Model registration", result, List.of(RegisterPanels.version(result)));
        return verdict(args, result, Status.FAIL);
    }

    /** A step that needs infrastructure the test does not have: recorded, answered with {@code answer}. */
    public Map<String, Object> record(String step, Map<String, Object> args, Map<String, Object> answer) {
        called(step, args);
        return answer;
    }

    private void called(String step, Map<String, Object> args) {
        calls.add(step);
        arguments.put(step, args);
    }

    private Map<String, Object> verdict(Map<String, Object> args, StepResult result, Status failAt) {
        if (result.status().isAtLeast(failAt)) {
            if (Boolean.TRUE.equals(args.get("unstableOnFailure"))) {
                buildStatus.accept("UNSTABLE");
            } else {
                buildStatus.accept("FAILURE");
                throw new IllegalStateException(result.step() + " " + result.status() + ": " + result.summary());
            }
        }
        return Json.mapper().convertValue(result, MAP);
    }

    private void report(Map<String, Object> args, String name, String title, StepResult result, List<String> panels) {
        Object dir = args.get("report");
        if (dir != null) {
            ReportWriter.write(workspace.resolve(dir.toString()), name, result, title, panels);
        }
    }

    private String path(Map<String, Object> args, String key) {
        Object value = args.get(key);
        return value == null ? null : workspace.resolve(value.toString()).toString();
    }

    private static List<String> items(Object value) {
        return value == null ? List.of() : Arrays.stream(value.toString().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}
