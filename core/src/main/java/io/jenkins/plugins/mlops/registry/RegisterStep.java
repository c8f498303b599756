package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code registerModel} step: gathers lineage, refuses a model the gate rejected (fail
 * closed), and registers the model idempotently, so that a retried build gets its version back
 * instead of a second one.
 */
public final class RegisterStep {
    private RegisterStep() {}

    public static RegisterResult run(RegisterConfig config, RegistryCredentials credentials, Consumer<String> progress) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        Lineage lineage = Lineage.collect(config);
        List<Check> checks = new ArrayList<>(lineage.checks());
        if (lineage.gateRejected()) {
            return new RegisterResult(RegisterResult.SCHEMA, RegisterResult.STEP, Status.FAIL, started, seconds(start),
                    "Not registered: the gate decided " + lineage.gateDecision() + " for " + config.name(), checks,
                    null, config.name(), null, List.of(), config.model(), null, lineage.tags(), false, 0, 0);
        }
        ModelSource source = ModelSource.parse(config.model());
        if (source.local() && !Path.of(source.location()).isAbsolute()) {
            source = new ModelSource(Path.of(config.workspace()).resolve(source.location()).normalize().toString(), true);
        }
        Map<String, String> tags = new LinkedHashMap<>(lineage.tags());
        int files = 0;
        long bytes = 0;
        String contentId;
        if (source.local()) {
            Path path = source.path();
            progress.accept("register: hashing model " + path);
            ModelFiles model = ModelFiles.of(path);
            files = model.files().size();
            bytes = model.totalBytes();
            String sha256 = model.sha256();
            tags.put("mlops.model_sha256", sha256);
            contentId = "sha256:" + sha256;
        } else {
            contentId = "uri:" + source.location();
        }
        tags.putAll(config.tags());
        String key = idempotencyKey(config, lineage, contentId);
        Registration registration = new Registration(config.name(), source, config.runId(), config.aliases(), tags,
                lineage.gateMetrics(), config.description(), config.stage(), config.experiment(), key);

        ModelRegistry registry = ModelRegistries.open(config.registry(), credentials,
                config.timeout(), progress);
        Registered registered = registry.register(registration);
        ModelVersion version = registered.version();
        checks.add(Check.of("registered", null, Status.PASS, "version " + version.version(), "a model version",
                registered.created() ? "registered as a new version" : "this build had already registered the same model"));
        String aliases = version.aliases().isEmpty() ? "no aliases" : "aliases " + String.join(", ", version.aliases());
        String summary = (registered.created() ? "Registered " : "Already registered: ") + version.name() + " version "
                + version.version() + " in " + registry.location() + " (" + aliases + ")";
        return new RegisterResult(RegisterResult.SCHEMA, RegisterResult.STEP, Status.worstOf(checks), started, seconds(start),
                summary, checks, registry.location(), version.name(), version.version(), version.aliases(),
                version.source(), version.runId(), version.tags(), registered.created(),
                registered.created() ? files : 0, registered.created() ? bytes : 0);
    }

    /**
     * The same model from the same build gets the same key. The build is its URL, else the run,
     * else the commit; outside CI that makes "the same model at the same commit" one version.
     */
    static String idempotencyKey(RegisterConfig config, Lineage lineage, String contentId) {
        String build = config.buildUrl() != null ? "build:" + config.buildUrl()
                : config.runId() != null ? "run:" + config.runId()
                : lineage.gitCommit() != null ? "commit:" + lineage.gitCommit() : "none";
        String identity = String.join("\n", "mlops-register/v1", config.name(), build, contentId);
        return HexFormat.of().formatHex(ModelFiles.sha256Digest().digest(identity.getBytes(StandardCharsets.UTF_8)));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
