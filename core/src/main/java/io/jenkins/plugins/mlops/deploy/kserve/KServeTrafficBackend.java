package io.jenkins.plugins.mlops.deploy.kserve;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.mlops.deploy.ResourceEdit;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.time.Instant;
import java.util.Map;

/**
 * KServe's own canary: the InferenceService's {@code spec.predictor.canaryTrafficPercent} sends
 * that share to the latest revision (the candidate) and the rest to the last rolled-out one
 * (stable); 0 rolls back, 100 promotes. The model change itself is the user's (a new
 * {@code storageUri} applied with {@code canaryTrafficPercent: 0}); mlops drives the percent. The
 * revisions judged are the ones the status names, their metrics Knative's queue-proxy's.
 */
public final class KServeTrafficBackend implements TrafficBackend {
    public static final ResourceDefinitionContext INFERENCE_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io").withVersion("v1beta1").withKind("InferenceService")
            .withPlural("inferenceservices").withNamespaced(true).build();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final PrometheusWindows metrics;

    public KServeTrafficBackend(KubernetesClient client, String namespace, String name, PrometheusWindows metrics) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.metrics = metrics;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setCandidateWeight(int candidatePercent) {
        ResourceEdit.withRetryOnConflict("InferenceService " + namespace + "/" + name, () -> {
            GenericKubernetesResource isvc = read();
            predictor(isvc).put("canaryTrafficPercent", candidatePercent);
            client.genericKubernetesResources(INFERENCE_SERVICE).inNamespace(namespace).resource(isvc).update();
        });
    }

    /** The percent the spec holds; without the field KServe sends everything to the latest revision. */
    @Override
    public int candidateWeight() {
        Object percent = predictor(read()).get("canaryTrafficPercent");
        return percent instanceof Number n ? n.intValue() : 100;
    }

    @Override
    public VariantWindow observe(String variant, Instant from, Instant to) {
        return metrics.observe(variant, revision(variant), from, to);
    }

    @Override
    public String describe() {
        return "KServe InferenceService " + namespace + "/" + name;
    }

    @Override
    public void close() {
        // The client is the caller's.
    }

    /** Stable is the last rolled-out revision, the candidate the latest ready one (KServe's status). */
    private String revision(String variant) {
        Object status = read().getAdditionalProperties().get("status");
        String field = variant.equals(STABLE) ? "latestRolledoutRevision" : "latestReadyRevision";
        if (status instanceof Map<?, ?> s && s.get("components") instanceof Map<?, ?> c
                && c.get("predictor") instanceof Map<?, ?> p && p.get(field) instanceof String revision) {
            return revision;
        }
        throw new InfrastructureException("InferenceService " + namespace + "/" + name
                + " has no status.components.predictor." + field + " yet");
    }

    private GenericKubernetesResource read() {
        GenericKubernetesResource isvc;
        try {
            isvc = client.genericKubernetesResources(INFERENCE_SERVICE).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new InfrastructureException("cannot read InferenceService " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        if (isvc == null) {
            throw new InfrastructureException("InferenceService " + namespace + "/" + name + " does not exist");
        }
        return isvc;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> predictor(GenericKubernetesResource isvc) {
        if (isvc.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && spec.get("predictor") instanceof Map<?, ?> p) {
            return (Map<String, Object>) p;
        }
        throw new InfrastructureException("InferenceService " + namespace + "/" + name + " has no spec.predictor");
    }
}
