package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.ByteUnits;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The model registry of an MLflow tracking server, through its REST API 2.0. A local model is
 * uploaded file by file through the server's artifact proxy into a run, then registered from
 * {@code runs:/<run>/model}; the run also carries the lineage tags and the gate metrics, so the
 * MLflow UI links each version to them.
 */
public final class MlflowRegistry implements ModelRegistry {
    private static final int MAX_TAGS_PER_BATCH = 100;
    private static final int SEARCH_PAGE = 1000;

    private final MlflowRestClient client;
    private final Duration timeout;
    private final Consumer<String> progress;

    public MlflowRegistry(URI server, RegistryCredentials credentials, Duration timeout, Consumer<String> progress) {
        this.client = new MlflowRestClient(server, credentials, timeout, progress);
        this.timeout = timeout;
        this.progress = progress;
    }

    @Override
    public String location() {
        return client.location();
    }

    @Override
    public Registered register(Registration registration) {
        return asUserRequest(() -> registerVersion(registration), false);
    }

    @Override
    public ModelVersion get(String name, int version) {
        return asUserRequest(() -> getVersion(name, version), false);
    }

    @Override
    public ModelVersion getByAlias(String name, String alias) {
        // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST.
        return asUserRequest(() -> parseVersion(client.get("registered-models/alias", Map.of("name", name, "alias", alias))
                .path("model_version")), true);
    }

    @Override
    public void requireFiles(ModelVersion version) {
        if (version.source() != null && !new MlflowSources(client).stillHoldsModel(version.source())) {
            throw new UnloadableVersionException(version.name() + " version " + version.version() + " has no model at "
                    + version.source() + " in " + location() + " any more (its artifacts were deleted): restore them,"
                    + " or point the alias at a version that exists (mlops models promote)");
        }
    }

    @Override
    public ModelVersion setAlias(String name, String alias, int version) {
        Registration.requireAlias(alias);
        return asUserRequest(() -> {
            getVersion(name, version);
            pointAlias(name, alias, version);
            return getVersion(name, version);
        }, false);
    }

    @Override
    public ModelVersion setTag(String name, int version, String key, String value) {
        return asUserRequest(() -> {
            getVersion(name, version);
            client.post("model-versions/set-tag", client.objectNode().put("name", name).put("version", String.valueOf(version))
                    .put("key", key).put("value", value));
            return getVersion(name, version);
        }, false);
    }

    @Override
    public Map<String, Double> recordedMetrics(ModelVersion version) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (version.runId() != null) {
            JsonNode runMetrics = asUserRequest(() -> client.get("runs/get", Map.of("run_id", version.runId())), false)
                    .path("run").path("data").path("metrics");
            for (JsonNode metric : runMetrics) {
                metrics.put(metric.path("key").asText(), metric.path("value").asDouble());
            }
        }
        metrics.putAll(Lineage.gateMetrics(version.tags()));
        return metrics;
    }

    @Override
    public List<ModelVersion> list(String name) {
        return asUserRequest(() -> {
            Map<Integer, List<String>> aliases = aliasesByVersion(name);
            List<ModelVersion> versions = new ArrayList<>();
            for (JsonNode node : searchVersions("name=" + quote(name))) {
                ModelVersion version = parseVersion(node);
                versions.add(version.withAliases(aliases.getOrDefault(version.version(), List.of())));
            }
            versions.sort(Comparator.comparingInt(ModelVersion::version));
            return versions;
        }, false);
    }

    /**
     * Checks everything that can be refused before it writes anything; writes the run's lineage
     * only once the version exists, so that a refused attempt leaves the training run as it was.
     */
    private Registered registerVersion(Registration registration) {
        String name = registration.name();
        MlflowSources.Resolved target = new MlflowSources(client).resolve(registration.source(), registration.runId());
        Optional<Integer> existing = findByIdempotencyKey(name, registration.idempotencyKey());
        if (existing.isPresent()) {
            progress.accept("registry: " + name + " version " + existing.get() + " already holds this model for this build");
            finishVersion(registration, existing.get());
            return new Registered(getVersion(name, existing.get()), false);
        }
        ensureRegisteredModel(name);
        RunTarget run = target.linksRun() ? run(target.runId(), registration) : null;
        try {
            String source = registration.source().local() ? upload(run, registration) : target.source();
            int version = createVersion(registration, source, run == null ? null : run.id(), target.modelId());
            Optional<Integer> winner = settleRace(registration, version);
            if (winner.isPresent()) {
                if (run != null && run.createdHere()) {
                    deleteRun(run.id());
                }
                finishVersion(registration, winner.get());
                return new Registered(getVersion(name, winner.get()), false);
            }
            progress.accept("registry: registered " + name + " version " + version
                    + (target.modelId() == null ? "" : " from logged model " + target.modelId()));
            if (run != null) {
                logLineage(run.id(), registration);
                if (run.createdHere()) {
                    updateRun(run.id(), "FINISHED");
                }
            }
            finishVersion(registration, version);
            return new Registered(getVersion(name, version), true);
        } catch (RuntimeException e) {
            if (run != null && run.createdHere()) {
                markRunFailed(run.id(), e);
            }
            throw e;
        }
    }

    /**
     * Two registrations of one build that run at the same time (a retried stage, parallel
     * branches) both miss each other's version and both create one. The lowest version with the
     * key wins, and every later creator sees it, since versions are numbered in order; the loser
     * deletes its twin (which would otherwise linger without an alias) and uses the winner.
     *
     * @return the winning version when ours lost; empty when ours is the one
     */
    private Optional<Integer> settleRace(Registration registration, int ours) {
        Optional<Integer> first = findByIdempotencyKey(registration.name(), registration.idempotencyKey());
        if (first.isEmpty() || first.get() >= ours) {
            return Optional.empty();
        }
        client.delete("model-versions/delete", client.objectNode().put("name", registration.name())
                .put("version", String.valueOf(ours)));
        progress.accept("registry: another registration of this build created " + registration.name() + " version "
                + first.get() + " at the same time; deleted the duplicate version " + ours + " and used version " + first.get());
        return first;
    }

    /** Aliases and the optional stage: applied on a new and on an already registered version alike. */
    private void finishVersion(Registration registration, int version) {
        for (String alias : registration.aliases()) {
            pointAlias(registration.name(), alias, version);
        }
        if (registration.stage() != null) {
            ObjectNode body = client.objectNode().put("name", registration.name()).put("version", String.valueOf(version))
                    .put("stage", registration.stage()).put("archive_existing_versions", false);
            client.post("model-versions/transition-stage", body);
        }
    }

    /**
     * Points the alias at the version. MLflow sets an alias as a delete and an insert, so two
     * registrations of one build setting it at once (both at the winning version) can make the
     * later insert fail its unique constraint; setting it again is safe, since it is idempotent.
     */
    private void pointAlias(String name, String alias, int version) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.post("registered-models/alias", client.objectNode().put("name", name).put("alias", alias)
                        .put("version", String.valueOf(version)));
                return;
            } catch (MlflowApiException e) {
                if (attempt >= ALIAS_ATTEMPTS || !isConcurrentInsert(e)) {
                    throw e;
                }
                progress.accept("registry: alias " + alias + " was being set at the same time; setting it again");
            }
        }
    }

    private static final int ALIAS_ATTEMPTS = 3;

    /** The server's database refused an insert that a concurrent one made first (SQLite, PostgreSQL, MySQL wording). */
    private static boolean isConcurrentInsert(MlflowApiException e) {
        String message = String.valueOf(e.getMessage());
        return e.httpStatus() < 500 && (message.contains("UNIQUE constraint failed") || message.contains("duplicate key value")
                || message.contains("Duplicate entry"));
    }

    private void ensureRegisteredModel(String name) {
        try {
            client.post("registered-models/create", client.objectNode().put("name", name));
            progress.accept("registry: created registered model " + name);
        } catch (MlflowApiException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                throw e;
            }
        }
    }

    private Optional<Integer> findByIdempotencyKey(String name, String key) {
        String filter = "name=" + quote(name) + " AND tags.`" + Registration.IDEMPOTENCY_TAG + "`=" + quote(key);
        return searchVersions(filter).stream().map(node -> parseVersionNumber(node.path("version"))).min(Integer::compare);
    }

    private List<JsonNode> searchVersions(String filter) {
        List<JsonNode> found = new ArrayList<>();
        String pageToken = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("filter", filter);
            query.put("max_results", String.valueOf(SEARCH_PAGE));
            if (pageToken != null) {
                query.put("page_token", pageToken);
            }
            JsonNode page = client.get("model-versions/search", query);
            page.path("model_versions").forEach(found::add);
            pageToken = page.path("next_page_token").asText(null);
        } while (pageToken != null && !pageToken.isEmpty());
        return found;
    }

    private Map<Integer, List<String>> aliasesByVersion(String name) {
        JsonNode model = client.get("registered-models/get", Map.of("name", name)).path("registered_model");
        Map<Integer, List<String>> aliases = new HashMap<>();
        for (JsonNode alias : model.path("aliases")) {
            aliases.computeIfAbsent(parseVersionNumber(alias.path("version")), v -> new ArrayList<>())
                    .add(alias.path("alias").asText());
        }
        return aliases;
    }

    /** The run the version belongs to: the given one (a training run), else a new one in the experiment. */
    private RunTarget run(String runId, Registration registration) {
        if (runId != null) {
            JsonNode info = asUserRequest(() -> client.get("runs/get", Map.of("run_id", runId)), false).path("run").path("info");
            return new RunTarget(runId, info.path("artifact_uri").asText(), false);
        }
        String experimentId = experimentId(registration.experiment());
        ObjectNode body = client.objectNode().put("experiment_id", experimentId)
                .put("run_name", "register " + registration.name())
                .put("start_time", Instant.now().toEpochMilli());
        JsonNode info = client.post("runs/create", body).path("run").path("info");
        String created = info.path("run_id").asText();
        progress.accept("registry: created run " + created + " in experiment " + registration.experiment());
        return new RunTarget(created, info.path("artifact_uri").asText(), true);
    }

    private void deleteRun(String runId) {
        client.post("runs/delete", client.objectNode().put("run_id", runId));
    }

    private String experimentId(String experiment) {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.get("experiments/get-by-name", Map.of("experiment_name", experiment))
                        .path("experiment").path("experiment_id").asText();
            } catch (MlflowApiException e) {
                if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                    throw e;
                }
            }
            try {
                return client.post("experiments/create", client.objectNode().put("name", experiment))
                        .path("experiment_id").asText();
            } catch (MlflowApiException e) {
                // Another build created it between our lookup and our create: look it up again.
                if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode()) || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void logLineage(String runId, Registration registration) {
        long now = Instant.now().toEpochMilli();
        ArrayNode metrics = client.objectNode().arrayNode();
        registration.metrics().forEach((key, value) -> metrics.addObject().put("key", metricKey(key)).put("value", value)
                .put("timestamp", now).put("step", 0));
        List<Map.Entry<String, String>> tags = new ArrayList<>(registration.versionTags().entrySet());
        for (int from = 0; from < Math.max(tags.size(), 1); from += MAX_TAGS_PER_BATCH) {
            ObjectNode batch = client.objectNode().put("run_id", runId);
            ArrayNode tagNodes = batch.putArray("tags");
            tags.subList(from, Math.min(tags.size(), from + MAX_TAGS_PER_BATCH))
                    .forEach(tag -> tagNodes.addObject().put("key", tag.getKey()).put("value", tag.getValue()));
            if (from == 0) {
                batch.set("metrics", metrics);
            }
            client.post("runs/log-batch", batch);
        }
    }

    private String upload(RunTarget run, Registration registration) {
        String root = proxyPath(run.artifactUri());
        ModelFiles model = ModelFiles.of(registration.source().path());
        // Our own run holds only the model; a training run may already have a "model" of its own.
        String artifactPath = run.createdHere() ? "model" : "mlops-model-" + registration.idempotencyKey().substring(0, 12);
        long total = model.totalBytes();
        long sent = 0;
        int count = 0;
        for (ModelFiles.ModelFile file : model.files()) {
            client.upload(root + "/" + artifactPath + "/" + file.relative(), file.path());
            sent += file.size();
            count++;
            progress.accept(String.format(Locale.ROOT, "registry: uploaded %d/%d files (%s of %s) %s",
                    count, model.files().size(), ByteUnits.format(sent), ByteUnits.format(total), file.relative()));
        }
        return "runs:/" + run.id() + "/" + artifactPath;
    }

    /** {@code mlflow-artifacts:/1/<run>/artifacts} (or with a host) to the proxy's path {@code 1/<run>/artifacts}. */
    private String proxyPath(String artifactUri) {
        if (!artifactUri.startsWith("mlflow-artifacts:")) {
            throw new InfrastructureException("MLflow at " + location() + " stores run artifacts at " + artifactUri
                    + ", not behind its artifact proxy, so mlops cannot upload the model: start the server with"
                    + " --serve-artifacts, or upload the model yourself and pass its URI as --model");
        }
        String path = artifactUri.substring("mlflow-artifacts:".length());
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    /**
     * Creates the version exactly once: a create that failed in transit may still have landed,
     * so before each retry look for it by its idempotency key instead of creating a twin.
     */
    private int createVersion(Registration registration, String source, String runId, String modelId) {
        ObjectNode body = client.objectNode().put("name", registration.name()).put("source", source);
        if (runId != null) {
            body.put("run_id", runId);
        }
        if (modelId != null) {
            body.put("model_id", modelId);
        }
        if (registration.description() != null) {
            body.put("description", registration.description());
        }
        ArrayNode tags = body.putArray("tags");
        registration.versionTags().forEach((key, value) -> tags.addObject().put("key", key).put("value", value));
        Backoff backoff = new Backoff(timeout);
        while (true) {
            try {
                return parseVersionNumber(client.postOnce("model-versions/create", body).path("model_version").path("version"));
            } catch (MlflowApiException e) {
                boolean transientFailure = e.httpStatus() == 0 || e.httpStatus() == 429 || e.httpStatus() >= 500;
                if (!transientFailure) {
                    throw e;
                }
                Optional<Integer> landed = findByIdempotencyKey(registration.name(), registration.idempotencyKey());
                if (landed.isPresent()) {
                    return landed.get();
                }
                if (!backoff.pause(null)) {
                    throw e;
                }
                progress.accept("registry: creating the model version failed (" + e.getMessage() + "); retrying");
            }
        }
    }

    private void updateRun(String runId, String status) {
        client.post("runs/update", client.objectNode().put("run_id", runId).put("status", status)
                .put("end_time", Instant.now().toEpochMilli()));
    }

    private void markRunFailed(String runId, RuntimeException failure) {
        try {
            updateRun(runId, "FAILED");
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        }
    }

    private ModelVersion getVersion(String name, int version) {
        return parseVersion(client.get("model-versions/get", Map.of("name", name, "version", String.valueOf(version)))
                .path("model_version"));
    }

    /**
     * Turns MLflow's answers about things the user named into bad input (exit 2): a missing
     * model, version or run, or a value MLflow rejects. Everything else stays an infrastructure
     * failure (exit 3).
     */
    private static <T> T asUserRequest(Supplier<T> call, boolean invalidMeansMissing) {
        try {
            return call.get();
        } catch (MlflowApiException e) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())
                    || invalidMeansMissing && "INVALID_PARAMETER_VALUE".equals(e.errorCode())) {
                throw new ModelNotFoundException(e.getMessage());
            }
            if ("INVALID_PARAMETER_VALUE".equals(e.errorCode())) {
                throw new BadInputException(e.getMessage(), e);
            }
            throw e;
        }
    }

    static ModelVersion parseVersion(JsonNode node) {
        List<String> aliases = new ArrayList<>();
        node.path("aliases").forEach(alias -> aliases.add(alias.asText()));
        Map<String, String> tags = new LinkedHashMap<>();
        node.path("tags").forEach(tag -> tags.put(tag.path("key").asText(), tag.path("value").asText()));
        String stage = node.path("current_stage").asText(null);
        long created = node.path("creation_timestamp").asLong(0);
        return new ModelVersion(node.path("name").asText(), parseVersionNumber(node.path("version")), aliases,
                node.path("source").asText(null), emptyToNull(node.path("run_id").asText(null)), tags,
                emptyToNull(node.path("description").asText(null)),
                stage == null || "None".equals(stage) ? null : stage,
                created == 0 ? null : Instant.ofEpochMilli(created));
    }

    private static int parseVersionNumber(JsonNode version) {
        try {
            return Integer.parseInt(version.asText());
        } catch (NumberFormatException e) {
            throw new InfrastructureException("MLflow returned a model version that is not a number: " + version);
        }
    }

    /** A string literal of MLflow's search filter grammar. */
    static String quote(String value) {
        return value.contains("'") ? "\"" + value.replace("\"", "\\\"") + "\"" : "'" + value + "'";
    }

    /** MLflow metric keys allow letters, digits, '_', '-', '.', ' ', '/' only. */
    private static String metricKey(String key) {
        return key.replaceAll("[^A-Za-z0-9_\\-. /]", "_");
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The run a version is registered from, and whether mlops created it (and so finishes it). */
    private record RunTarget(String id, String artifactUri, boolean createdHere) {}
}
