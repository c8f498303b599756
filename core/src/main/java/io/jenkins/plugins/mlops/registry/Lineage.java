package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.MlopsVersion;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a model version came from, recorded as {@code mlops.*} tags on the version: the commit,
 * the data (its fingerprint), the build, the gate's decision and metrics, the mlops version.
 * The gate and data reports are read as JSON trees ({@link GateReport}, strictly), so this
 * package does not depend on the gate or data packages.
 *
 * @param gateMetrics each gate metric's candidate value, by metric name
 * @param dataQuery the query, values and rows that made the data, when {@code ingest} did ({@link DataQuery})
 */
record Lineage(String gitCommit, String buildUrl, String dataFingerprint, String gateDecision,
        Map<String, Double> gateMetrics, Map<String, String> dataQuery) {
    /** Version tags that carry the gate's metric values, e.g. {@code mlops.gate.roc_auc}. */
    static final String GATE_METRIC_TAG = "mlops.gate.";

    /** The gate metrics a version's lineage tags recorded; tags that are not numbers are skipped. */
    static Map<String, Double> gateMetrics(Map<String, String> versionTags) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        versionTags.forEach((key, value) -> {
            if (key.startsWith(GATE_METRIC_TAG)) {
                try {
                    metrics.put(key.substring(GATE_METRIC_TAG.length()), Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    // Written by hand or by another tool: not a value a gate can compare with.
                }
            }
        });
        return metrics;
    }


    static Lineage collect(RegisterConfig config) {
        Path workspace = Path.of(config.workspace());
        String commit = config.gitCommit() != null ? config.gitCommit() : gitHead(workspace);
        JsonNode dataReport = config.dataReport() == null ? null : Json.readStrictObject(workspace.resolve(config.dataReport()));
        String fingerprint = dataReport == null ? null : dataFingerprint(dataReport, workspace.resolve(config.dataReport()));
        Map<String, String> dataQuery = dataReport == null ? Map.of() : DataQuery.tags(dataReport, fingerprint, workspace);
        String decision = null;
        Map<String, Double> metrics = new TreeMap<>();
        if (config.gateReport() != null) {
            GateReport gate = GateReport.read(workspace.resolve(config.gateReport()));
            decision = gate.decision();
            metrics.putAll(gate.metrics());
        }
        return new Lineage(commit, config.buildUrl(), fingerprint, decision, metrics, dataQuery);
    }

    boolean gateRejected() {
        return gateDecision != null && !GateReport.PASSED.equals(gateDecision);
    }

    /** The lineage tags, in a stable order. */
    Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlops.version", MlopsVersion.get());
        putIfKnown(tags, "mlops.git_commit", gitCommit);
        putIfKnown(tags, "mlops.build_url", buildUrl);
        putIfKnown(tags, "mlops.data_fingerprint", dataFingerprint);
        tags.putAll(dataQuery);
        putIfKnown(tags, "mlops.gate_decision", gateDecision);
        gateMetrics.forEach((name, value) -> tags.put(GATE_METRIC_TAG + name, number(value)));
        return tags;
    }

    /** One check per piece of lineage: missing lineage is worth a warning, a rejecting gate fails. */
    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(present("lineage_git_commit", gitCommit, "no git commit: run in a git workspace or set GIT_COMMIT / --git-commit"));
        checks.add(present("lineage_build_url", buildUrl, "no build URL: set BUILD_URL / --build-url (Jenkins sets it)"));
        checks.add(present("lineage_data_fingerprint", dataFingerprint,
                "no data fingerprint: pass --validation-report validation.json, --data-profile PROFILE.json or an ingested"
                + " file's OUTPUT.lineage.json"));
        if (gateDecision == null) {
            checks.add(Check.of("gate_decision", null, Status.WARN, null, GateReport.PASSED,
                    "no --gate-report: the version records no gate decision"));
        } else {
            checks.add(Check.of("gate_decision", null, gateRejected() ? Status.FAIL : Status.PASS, gateDecision, GateReport.PASSED,
                    gateRejected() ? "the gate rejected this model, so it is not registered" : "the gate passed this model"));
        }
        return checks;
    }

    private static Check present(String name, String value, String missing) {
        return value == null
                ? Check.of(name, null, Status.WARN, null, "recorded", missing)
                : Check.of(name, null, Status.PASS, value, "recorded", "recorded as a tag on the version");
    }

    private static String dataFingerprint(JsonNode report, Path file) {
        JsonNode fingerprint = report.findValue("data_fingerprint");
        if (fingerprint == null || !fingerprint.isTextual() || fingerprint.asText().isBlank()) {
            throw new BadInputException(file + ": no 'data_fingerprint' string in it (expected validation.json or a"
                    + " profile written by the data step)");
        }
        return fingerprint.asText();
    }

    /** {@code git rev-parse HEAD} in the workspace, or null outside a git work tree. */
    private static String gitHead(Path workspace) {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(workspace.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return null;
            }
            return git.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void putIfKnown(Map<String, String> tags, String key, String value) {
        if (value != null) {
            tags.put(key, value);
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }
}
