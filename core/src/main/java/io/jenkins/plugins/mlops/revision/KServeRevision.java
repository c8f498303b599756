package io.jenkins.plugins.mlops.revision;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.deploy.ResourceEdit;
import io.jenkins.plugins.mlops.deploy.kserve.KServeTrafficBackend;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The candidate as KServe sees it: the InferenceService's predictor becomes the new model (the
 * image by digest, or a storage URI with modelFormat mlflow) with {@code canaryTrafficPercent: 0},
 * so KServe makes a new revision that gets no traffic until {@code canaryRollout --backend kserve}
 * moves the percent. The InferenceService is the user's, and its predictor must lose the model
 * fields the candidate replaces (KServe takes a model or containers, not both; an apply cannot
 * remove another manager's fields), so this is one read-modify-write, retried on conflict; the
 * replaced fields are kept in an annotation, so a rollback puts them back.
 */
final class KServeRevision {
    static final String PREVIOUS_ANNOTATION = "mlops.jenkins.io/previous-predictor";
    /** The predictor fields the candidate sets; what the rollback restores. */
    private static final List<String> MODEL_FIELDS = List.of("model", "containers", "canaryTrafficPercent");

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Consumer<String> progress;

    KServeRevision(KubernetesClient client, String namespace, String name, Consumer<String> progress) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.progress = progress;
    }

    /** The candidate's predictor fields: the image (or the storage URI with the MLflow format) at 0%. */
    static Map<String, Object> candidate(String image, String storageUri, int port) {
        Map<String, Object> predictor = new LinkedHashMap<>();
        if (storageUri != null) {
            predictor.put("model", Map.of("modelFormat", Map.of("name", "mlflow"), "storageUri", storageUri));
        } else {
            predictor.put("containers", List.of(Map.of("name", "kserve-container", "image", image,
                    "ports", List.of(Map.of("containerPort", port, "protocol", "TCP")),
                    // MLflow's scoring server answers /ping once the model is loaded.
                    "readinessProbe", Map.of("httpGet", Map.of("path", "/ping", "port", port)))));
        }
        predictor.put("canaryTrafficPercent", 0);
        return predictor;
    }

    /**
     * Writes the candidate into the predictor in place of its model fields, which go into the
     * annotation (from the first deploy of a candidate only). A dry run first, so RBAC and the
     * API server's validation refuse before anything is written; a second deploy of the same
     * build finds nothing to change and writes nothing.
     */
    void apply(Map<String, Object> candidate) {
        Predicate<GenericKubernetesResource> change = isvc -> {
            Map<String, Object> predictor = predictor(isvc);
            if (MODEL_FIELDS.stream().allMatch(f -> Objects.equals(Serialization.asJson(predictor.get(f)),
                    Serialization.asJson(candidate.get(f))))) {
                return false;
            }
            annotations(isvc).putIfAbsent(PREVIOUS_ANNOTATION, Serialization.asJson(modelFields(predictor)));
            MODEL_FIELDS.forEach(predictor::remove);
            predictor.putAll(candidate);
            return true;
        };
        edit(true, change);
        edit(false, change);
        progress.accept("deploy: InferenceService " + namespace + "/" + name + " has the candidate at canaryTrafficPercent 0");
    }

    /**
     * Waits until KServe says the spec it read is served: Ready, its observed generation this
     * one, and the latest created revision ready. Returns that revision, the candidate's.
     */
    String awaitReady(Duration deadline) {
        String[] revision = new String[1];
        Readiness.await(deadline, () -> {
            GenericKubernetesResource isvc = read();
            Map<String, Object> status = map(isvc.getAdditionalProperties().get("status"));
            Map<String, Object> predictor = map(map(status.get("components")).get("predictor"));
            Object created = predictor.get("latestCreatedRevision");
            boolean ready = status.get("conditions") instanceof List<?> conditions && conditions.stream().anyMatch(c ->
                    c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
            revision[0] = created instanceof String s ? s : null;
            return ready && status.get("observedGeneration") instanceof Number g
                    && g.longValue() >= isvc.getMetadata().getGeneration()
                    && created != null && created.equals(predictor.get("latestReadyRevision"));
        }, this::reason, "InferenceService " + namespace + "/" + name);
        progress.accept("deploy: InferenceService " + namespace + "/" + name + " revision " + revision[0] + " is ready");
        return revision[0];
    }

    /** What KServe's conditions say is not ready. */
    private String reason() {
        Object conditions = map(read().getAdditionalProperties().get("status")).get("conditions");
        StringBuilder reasons = new StringBuilder();
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && !"True".equals(m.get("status"))) {
                    reasons.append(reasons.length() == 0 ? "" : "; ").append(m.get("type")).append(' ').append(m.get("reason"))
                            .append(": ").append(m.get("message"));
                }
            }
        }
        return reasons.length() == 0 ? "KServe reported no ready revision for the new spec" : reasons.toString();
    }

    /** Puts the predictor fields the candidate replaced back, as mlops found them, and drops the annotation. */
    void restorePrevious() {
        boolean[] restored = new boolean[1];
        edit(false, isvc -> {
            String previous = annotations(isvc).remove(PREVIOUS_ANNOTATION);
            if (previous == null) {
                return false;
            }
            Map<String, Object> predictor = predictor(isvc);
            MODEL_FIELDS.forEach(predictor::remove);
            predictor.putAll(Serialization.unmarshal(previous, Map.class));
            // What no percent means to KServe: everything to the latest revision, the restored one.
            predictor.putIfAbsent("canaryTrafficPercent", 100);
            restored[0] = true;
            return true;
        });
        progress.accept("deploy: InferenceService " + namespace + "/" + name + (restored[0] ? " serves its previous predictor"
                + " again" : " has no candidate of mlops to remove"));
    }

    /** A read-modify-write of the InferenceService, retried on conflict, written only when {@code change} changed it. */
    private void edit(boolean dryRun, Predicate<GenericKubernetesResource> change) {
        String what = "InferenceService " + namespace + "/" + name;
        ResourceEdit.withRetryOnConflict(what, () -> {
            GenericKubernetesResource isvc = read();
            if (change.test(isvc)) {
                client.genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                        .resource(isvc).dryRun(dryRun).update();
            }
        });
    }

    private static Map<String, String> annotations(GenericKubernetesResource isvc) {
        Map<String, String> annotations = new LinkedHashMap<>(isvc.getMetadata().getAnnotations() == null ? Map.of()
                : isvc.getMetadata().getAnnotations());
        isvc.getMetadata().setAnnotations(annotations);
        return annotations;
    }

    private static Map<String, Object> modelFields(Map<String, Object> predictor) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : MODEL_FIELDS) {
            if (predictor.get(field) != null) {
                fields.put(field, predictor.get(field));
            }
        }
        return fields;
    }

    /** The predictor as a mutable map put back into the resource. */
    private static Map<String, Object> predictor(GenericKubernetesResource isvc) {
        Map<String, Object> spec = new LinkedHashMap<>(map(isvc.getAdditionalProperties().get("spec")));
        Map<String, Object> predictor = new LinkedHashMap<>(map(spec.get("predictor")));
        spec.put("predictor", predictor);
        isvc.getAdditionalProperties().put("spec", spec);
        return predictor;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private GenericKubernetesResource read() {
        GenericKubernetesResource isvc = KubernetesCalls.call(namespace, "read InferenceService " + namespace + "/" + name,
                () -> client.genericKubernetesResources(KServeTrafficBackend.INFERENCE_SERVICE).inNamespace(namespace)
                        .withName(name).get());
        if (isvc == null) {
            throw new BadInputException("inferenceService: InferenceService " + namespace + "/" + name + " does not exist");
        }
        return isvc;
    }
}
