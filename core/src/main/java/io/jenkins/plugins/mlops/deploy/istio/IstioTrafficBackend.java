package io.jenkins.plugins.mlops.deploy.istio;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights on an Istio VirtualService: every HTTP route that sends traffic to the host's stable
 * subset gets the candidate subset beside it, weighted. Mirroring sets the route's {@code mirror}
 * and {@code mirrorPercentage}. The VirtualService (and the DestinationRule defining the subsets)
 * are the user's; only the route weights and mirror fields are written. Metrics come from
 * Prometheus, Istio's standard {@code istio_requests_total} by {@code destination_version}.
 */
public final class IstioTrafficBackend implements TrafficBackend {
    /** {@code networking.istio.io/v1}, the version Istio 1.22+ serves (v1beta1 is the same schema). */
    public static final ResourceDefinitionContext VIRTUAL_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService")
            .withPlural("virtualservices").withNamespaced(true).build();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String host;
    private final Map<String, String> subsets;
    private final PrometheusWindows metrics;

    /**
     * @param host the destination host of the routes, e.g. {@code churn.models.svc.cluster.local}
     * @param stableSubset the DestinationRule subset of the current model (also its {@code version} label)
     * @param candidateSubset the subset of the candidate
     */
    public IstioTrafficBackend(KubernetesClient client, String namespace, String name, String host,
                               String stableSubset, String candidateSubset, PrometheusWindows metrics) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.host = host;
        this.subsets = Map.of(STABLE, stableSubset, CANDIDATE, candidateSubset);
        this.metrics = metrics;
    }

    @Override
    public void setCandidateWeight(int candidatePercent) {
        edit(routes -> {
            for (Map<String, Object> route : routes) {
                List<Map<String, Object>> destinations = destinations(route);
                Map<String, Object> stable = find(destinations, subsets.get(STABLE));
                Map<String, Object> candidate = find(destinations, subsets.get(CANDIDATE));
                if (candidate == null) {
                    candidate = new LinkedHashMap<>(Map.of("destination",
                            new LinkedHashMap<>(Map.of("host", host, "subset", subsets.get(CANDIDATE)))));
                    destinations.add(candidate);
                }
                stable.put("weight", 100 - candidatePercent);
                candidate.put("weight", candidatePercent);
            }
        });
    }

    /** Mirrors {@code percent} of each route's traffic to the candidate (0 removes the mirror). */
    public void mirrorToCandidate(double percent) {
        edit(routes -> {
            for (Map<String, Object> route : routes) {
                if (percent <= 0) {
                    route.remove("mirror");
                    route.remove("mirrorPercentage");
                } else {
                    route.put("mirror", new LinkedHashMap<>(Map.of("host", host, "subset", subsets.get(CANDIDATE))));
                    route.put("mirrorPercentage", new LinkedHashMap<>(Map.of("value", percent)));
                }
            }
        });
    }

    @Override
    public int candidateWeight() {
        GenericKubernetesResource vs = read();
        for (Map<String, Object> route : stableRoutes(vs)) {
            Map<String, Object> candidate = find(destinations(route), subsets.get(CANDIDATE));
            return candidate == null ? 0 : ((Number) candidate.getOrDefault("weight", 0)).intValue();
        }
        return 0;
    }

    @Override
    public VariantWindow observe(String variant, Instant from, Instant to) {
        return metrics.observe(variant, subsets.get(variant), from, to);
    }

    @Override
    public String describe() {
        return "Istio VirtualService " + namespace + "/" + name + " (host " + host + ", subsets "
                + subsets.get(STABLE) + " and " + subsets.get(CANDIDATE) + ")";
    }

    @Override
    public void close() {
        // The client is the caller's.
    }

    private void edit(java.util.function.Consumer<List<Map<String, Object>>> change) {
        ResourceEdit.withRetryOnConflict("VirtualService " + namespace + "/" + name, () -> {
            GenericKubernetesResource vs = read();
            List<Map<String, Object>> routes = stableRoutes(vs);
            if (routes.isEmpty()) {
                throw new InfrastructureException("VirtualService " + namespace + "/" + name + " has no HTTP route to "
                        + host + " subset " + subsets.get(STABLE));
            }
            change.accept(routes);
            client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace(namespace).resource(vs).update();
        });
    }

    private GenericKubernetesResource read() {
        GenericKubernetesResource vs;
        try {
            vs = client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new InfrastructureException("cannot read VirtualService " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        if (vs == null) {
            throw new InfrastructureException("VirtualService " + namespace + "/" + name + " does not exist");
        }
        return vs;
    }

    /** The HTTP routes that send traffic to the stable subset of the host, as mutable maps of the resource. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> stableRoutes(GenericKubernetesResource vs) {
        Object spec = vs.getAdditionalProperties().get("spec");
        List<Map<String, Object>> routes = new ArrayList<>();
        if (spec instanceof Map<?, ?> map && map.get("http") instanceof List<?> http) {
            for (Object route : http) {
                if (route instanceof Map<?, ?> r && find(destinations((Map<String, Object>) r), subsets.get(STABLE)) != null) {
                    routes.add((Map<String, Object>) r);
                }
            }
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> destinations(Map<String, Object> route) {
        Object list = route.get("route");
        if (!(list instanceof List<?>)) {
            return new ArrayList<>();
        }
        List<Map<String, Object>> mutable = new ArrayList<>((List<Map<String, Object>>) list);
        route.put("route", mutable);
        return mutable;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> find(List<Map<String, Object>> destinations, String subset) {
        for (Map<String, Object> d : destinations) {
            if (d.get("destination") instanceof Map<?, ?> dest && host.equals(dest.get("host")) && subset.equals(dest.get("subset"))) {
                return d;
            }
        }
        return null;
    }
}
