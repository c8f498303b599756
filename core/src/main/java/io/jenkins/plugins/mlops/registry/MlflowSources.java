package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what {@code --model} names into what MLflow's {@code model-versions/create} needs, the
 * way MLflow's own {@code mlflow.register_model} does, and checks that it is a model MLflow can
 * load (it holds an {@code MLmodel}) before anything is written:
 * <ul>
 * <li>{@code runs:/RUN/PATH}: the run's artifacts at PATH when they hold an {@code MLmodel}
 *     (MLflow 2); else the logged model named PATH that the run produced (MLflow 3's
 *     {@code log_model(name=...)} stores it under {@code models/m-<id>/artifacts}), registered as
 *     {@code models:/m-<id>} with its {@code model_id};
 * <li>{@code models:/m-<id>}: that logged model, with its {@code model_id} and its source run;
 * <li>{@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}: passed on, the server resolves it;
 * <li>a local directory: must hold an {@code MLmodel}, uploaded later into the run;
 * <li>any other URI ({@code s3://...}): recorded as it is, which MLflow allows without a check.
 * </ul>
 */
final class MlflowSources {
    static final String MLMODEL = "MLmodel";
    private static final Pattern MODEL_ID_URI = Pattern.compile("models:/([^/@]+)");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * What a version is created from.
     *
     * @param source the {@code source} field, or null for a local model not uploaded yet
     * @param runId the run the version belongs to (and that carries the lineage), or null to create one
     * @param modelId MLflow 3's logged model id, or null
     * @param linksRun whether the create request names the run (a {@code models:/NAME/VERSION} source does not)
     */
    record Resolved(String source, String runId, String modelId, boolean linksRun) {}

    private final MlflowRestClient client;

    MlflowSources(MlflowRestClient client) {
        this.client = client;
    }

    Resolved resolve(ModelSource model, String runId) {
        if (model.local()) {
            Path path = model.path();
            if (!Files.isRegularFile(path.resolve(MLMODEL))) {
                throw new BadInputException("model " + path + " holds no " + MLMODEL + " file, so MLflow could not load the"
                        + " version: save it with mlflow.<flavor>.save_model(model, path) (or log it and pass runs:/RUN/NAME)");
            }
            return new Resolved(null, runId, null, true);
        }
        String uri = model.location();
        if (uri.startsWith("runs:/")) {
            return fromRun(uri, runId);
        }
        Matcher id = MODEL_ID_URI.matcher(uri);
        if (id.matches()) {
            return fromLoggedModel(uri, id.group(1), runId);
        }
        if (uri.startsWith("models:/")) {
            if (runId != null) {
                throw new BadInputException("--run-id does not apply to --model " + uri + ": that version already names its run");
            }
            return new Resolved(uri, null, null, false);
        }
        return new Resolved(uri, runId, null, true);
    }

    private Resolved fromRun(String uri, String runId) {
        String[] parts = uri.substring("runs:/".length()).split("/", 2);
        String sourceRun = parts[0];
        String path = parts.length > 1 ? parts[1].replaceAll("^/+|/+$", "") : "";
        if (!SAFE_ID.matcher(sourceRun).matches() || path.isEmpty()) {
            throw new BadInputException("--model " + uri + " is not runs:/RUN_ID/PATH (e.g. runs:/0a1b.../model)");
        }
        if (runId != null && !runId.equals(sourceRun)) {
            throw new BadInputException("--run-id " + runId + " differs from the run in --model " + uri);
        }
        JsonNode run = getRun(sourceRun, uri);
        if (runArtifactsHoldModel(sourceRun, path)) {
            return new Resolved(uri, sourceRun, null, true);
        }
        JsonNode logged = loggedModelOfRun(run, path, uri);
        String modelId = logged.path("model_id").asText();
        requireLoggedModelFiles(modelId, uri);
        return new Resolved("models:/" + modelId, sourceRun, modelId, true);
    }

    private Resolved fromLoggedModel(String uri, String modelId, String runId) {
        if (!SAFE_ID.matcher(modelId).matches()) {
            throw new BadInputException("--model " + uri + ": '" + modelId + "' is not an MLflow logged model id (m-...)");
        }
        JsonNode info = loggedModel(modelId, uri);
        String sourceRun = emptyToNull(info.path("source_run_id").asText(null));
        if (runId != null && sourceRun != null && !runId.equals(sourceRun)) {
            throw new BadInputException("--run-id " + runId + " differs from run " + sourceRun + " that logged " + uri);
        }
        requireLoggedModelFiles(modelId, uri);
        return new Resolved(uri, runId != null ? runId : sourceRun, modelId, true);
    }

    /**
     * Whether the model a registered version's source names still holds its {@code MLmodel}: a
     * run's artifacts ({@code runs:/RUN/PATH}) or a logged model ({@code models:/m-<id>}), as
     * {@link #resolve} made them. Any other source MLflow resolves or records as it is: true.
     */
    boolean stillHoldsModel(String source) {
        try {
            if (source.startsWith("runs:/")) {
                String[] parts = source.substring("runs:/".length()).split("/", 2);
                return parts.length == 2 && runArtifactsHoldModel(parts[0], parts[1].replaceAll("^/+|/+$", ""));
            }
            Matcher id = MODEL_ID_URI.matcher(source);
            return !id.matches() || !SAFE_ID.matcher(id.group(1)).matches() || loggedModelHoldsModel(id.group(1));
        } catch (MlflowApiException e) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                return false;
            }
            throw e;
        }
    }

    private JsonNode getRun(String runId, String uri) {
        try {
            return client.get("runs/get", Map.of("run_id", runId)).path("run");
        } catch (MlflowApiException e) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode()) || "INVALID_PARAMETER_VALUE".equals(e.errorCode())) {
                throw new BadInputException("--model " + uri + ": MLflow at " + client.location() + " has no run " + runId, e);
            }
            throw e;
        }
    }

    private boolean runArtifactsHoldModel(String runId, String path) {
        String wanted = path + "/" + MLMODEL;
        String pageToken = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("path", path);
            if (pageToken != null) {
                query.put("page_token", pageToken);
            }
            JsonNode page = client.get("artifacts/list", query);
            for (JsonNode file : page.path("files")) {
                if (wanted.equals(file.path("path").asText()) && !file.path("is_dir").asBoolean()) {
                    return true;
                }
            }
            pageToken = emptyToNull(page.path("next_page_token").asText(null));
        } while (pageToken != null);
        return false;
    }

    /** The logged model named {@code name} that the run produced; of several, the one at the latest step, as MLflow picks. */
    private JsonNode loggedModelOfRun(JsonNode run, String name, String uri) {
        String runId = run.path("info").path("run_id").asText();
        String experiment = run.path("info").path("experiment_id").asText();
        List<JsonNode> found = new ArrayList<>();
        String pageToken = null;
        do {
            ObjectNode body = client.objectNode();
            body.putArray("experiment_ids").add(experiment);
            body.put("filter", "name = " + MlflowRegistry.quote(name));
            if (pageToken != null) {
                body.put("page_token", pageToken);
            }
            JsonNode page = client.post("logged-models/search", body);
            for (JsonNode model : page.path("models")) {
                if (runId.equals(model.path("info").path("source_run_id").asText())) {
                    found.add(model.path("info"));
                }
            }
            pageToken = emptyToNull(page.path("next_page_token").asText(null));
        } while (pageToken != null);
        if (found.isEmpty()) {
            throw new BadInputException("--model " + uri + ": run " + runId + " has no MLflow model at '" + name
                    + "': no " + MLMODEL + " under its artifacts and no logged model named '" + name + "' (MLflow 3's"
                    + " log_model(name=...)); check the name, or pass models:/<model_id>");
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        Map<String, Long> stepOf = new LinkedHashMap<>();
        run.path("outputs").path("model_outputs")
                .forEach(output -> stepOf.put(output.path("model_id").asText(), output.path("step").asLong(0)));
        return found.stream().max((a, b) -> Long.compare(stepOf.getOrDefault(a.path("model_id").asText(), Long.MIN_VALUE),
                stepOf.getOrDefault(b.path("model_id").asText(), Long.MIN_VALUE))).orElseThrow();
    }

    private JsonNode loggedModel(String modelId, String uri) {
        try {
            return client.get("logged-models/" + modelId, Map.of()).path("model").path("info");
        } catch (MlflowApiException e) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                throw new BadInputException("--model " + uri + ": MLflow at " + client.location() + " has no logged model "
                        + modelId, e);
            }
            throw e;
        }
    }

    private void requireLoggedModelFiles(String modelId, String uri) {
        if (loggedModelHoldsModel(modelId)) {
            return;
        }
        throw new BadInputException("--model " + uri + ": logged model " + modelId + " holds no " + MLMODEL
                + " (its upload did not finish?), so MLflow could not load the version");
    }

    private boolean loggedModelHoldsModel(String modelId) {
        JsonNode listing = client.get("logged-models/" + modelId + "/artifacts/directories", Map.of());
        for (JsonNode file : listing.path("files")) {
            if (MLMODEL.equals(file.path("path").asText()) && !file.path("is_dir").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
