package io.jenkins.plugins.mlops.revision;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.mlops.deploy.ResourceEdit;
import io.jenkins.plugins.mlops.deploy.istio.IstioTrafficBackend;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The candidate as Istio sees it: a Deployment and a Service of the image by digest, labelled
 * {@code app} and {@code version}, a DestinationRule subset selecting that version, and a
 * destination for the subset at weight 0 beside the stable one on every route to the host, which
 * {@code canaryRollout --backend istio} then moves. The Deployment and Service are mlops's own and
 * written by server-side apply (field manager {@code mlops}), so a second deploy of the same build
 * changes nothing. The VirtualService and DestinationRule are the user's, and their route and
 * subset lists are atomic: an apply would take the whole list from its owner, so those get a
 * read-modify-write of the one entry, retried on conflict, and no write when the entry is there.
 */
final class IstioRevision {
    static final ResourceDefinitionContext DESTINATION_RULE = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("DestinationRule")
            .withPlural("destinationrules").withNamespaced(true).build();
    static final String FIELD_MANAGER = "mlops";

    private final KubernetesClient client;
    private final String namespace;
    private final String app;
    private final String subset;
    private final String host;
    private final String virtualService;
    private final String destinationRule;
    private final Consumer<String> progress;

    IstioRevision(KubernetesClient client, String namespace, String app, String subset, String host,
            String virtualService, String destinationRule, Consumer<String> progress) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
        this.subset = subset;
        this.host = host;
        this.virtualService = virtualService;
        this.destinationRule = destinationRule;
        this.progress = progress;
    }

    /** The candidate's Deployment and Service: {@code APP-SUBSET}. */
    String workloadName() {
        return app + "-" + subset;
    }

    Map<String, String> labels() {
        return Map.of("app", app, "version", subset);
    }

    /**
     * Everything that can be refused, before anything is written: the namespace and the rights on
     * Deployments and Services (a server-side dry run), the VirtualService with a route to the
     * host, the DestinationRule of the host.
     */
    void check(Deployment deployment, Service service) {
        KubernetesCalls.run(namespace, "apply Deployment " + namespace + "/" + workloadName(),
                () -> client.resource(deployment).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        KubernetesCalls.run(namespace, "apply Service " + namespace + "/" + workloadName(),
                () -> client.resource(service).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        if (routesToHost(read(IstioTrafficBackend.VIRTUAL_SERVICE, virtualService)).isEmpty()) {
            throw new BadInputException("virtualService: VirtualService " + namespace + "/" + virtualService
                    + " has no HTTP route to host " + host + ": nothing would send the candidate traffic");
        }
        Object drHost = spec(read(DESTINATION_RULE, destinationRule)).get("host");
        if (!host.equals(drHost)) {
            throw new BadInputException("destinationRule: DestinationRule " + namespace + "/" + destinationRule + " is for host "
                    + drHost + ", not " + host);
        }
    }

    Deployment deployment(String image, int port, int replicas, String cpu, String memory, String model) {
        ContainerBuilder container = new ContainerBuilder().withName("model").withImage(image)
                .addNewPort().withName("http").withContainerPort(port).endPort()
                // MLflow's scoring server answers /ping once the model is loaded.
                .withNewReadinessProbe().withNewHttpGet().withPath("/ping").withPort(new IntOrString(port)).endHttpGet()
                    .withPeriodSeconds(5).withFailureThreshold(3).endReadinessProbe();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (cpu != null) {
            requests.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            requests.put("memory", new Quantity(memory));
        }
        if (!requests.isEmpty()) {
            container.withNewResources().withRequests(requests).endResources();
        }
        return new DeploymentBuilder()
                .withNewMetadata().withName(workloadName()).withNamespace(namespace).withLabels(labels())
                    .addToAnnotations("mlops.jenkins.io/model", model).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels()).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels()).endMetadata()
                        .withNewSpec().withContainers(container.build()).endSpec()
                    .endTemplate()
                .endSpec().build();
    }

    Service service(int port) {
        return new ServiceBuilder()
                .withNewMetadata().withName(workloadName()).withNamespace(namespace).withLabels(labels()).endMetadata()
                .withNewSpec().withSelector(labels())
                    .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build();
    }

    void applyWorkload(Deployment deployment, Service service) {
        KubernetesCalls.run(namespace, "apply Deployment " + namespace + "/" + workloadName(),
                () -> client.resource(deployment).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        KubernetesCalls.run(namespace, "apply Service " + namespace + "/" + workloadName(),
                () -> client.resource(service).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        progress.accept("deploy: Deployment and Service " + namespace + "/" + workloadName() + " applied");
    }

    /** Waits until the Deployment's current revision has all its pods ready and available. */
    void awaitReady(Duration deadline) {
        Readiness.await(deadline, this::ready, () -> Readiness.podsReason(client, namespace, labels()),
                "Deployment " + namespace + "/" + workloadName());
        progress.accept("deploy: Deployment " + namespace + "/" + workloadName() + " is ready");
    }

    private boolean ready() {
        Deployment d = KubernetesCalls.call(namespace, "read Deployment " + namespace + "/" + workloadName(),
                () -> client.apps().deployments().inNamespace(namespace).withName(workloadName()).get());
        if (d == null || d.getStatus() == null) {
            return false;
        }
        var status = d.getStatus();
        int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        boolean available = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
        // observedGeneration: the status is about this spec; updatedReplicas: the pods are the new ReplicaSet's.
        return status.getObservedGeneration() != null && status.getObservedGeneration() >= d.getMetadata().getGeneration()
                && available && eq(status.getUpdatedReplicas(), wanted) && eq(status.getReadyReplicas(), wanted)
                && eq(status.getAvailableReplicas(), wanted) && eq(status.getReplicas(), wanted);
    }

    private static boolean eq(Integer value, int wanted) {
        return value != null && value == wanted;
    }

    /** The subset in the DestinationRule, then the candidate at weight 0 on each route to the host. */
    void addRoute() {
        edit(DESTINATION_RULE, destinationRule, dr -> {
            List<Map<String, Object>> subsets = list(spec(dr), "subsets");
            if (subsets.stream().anyMatch(named(subset))) {
                return false;
            }
            subsets.add(new LinkedHashMap<>(Map.of("name", subset, "labels", new LinkedHashMap<>(labels()))));
            return true;
        });
        edit(IstioTrafficBackend.VIRTUAL_SERVICE, virtualService, vs -> {
            boolean changed = false;
            for (Map<String, Object> route : routesToHost(vs)) {
                List<Map<String, Object>> destinations = list(route, "route");
                if (destinations.stream().anyMatch(this::isCandidate)) {
                    continue;
                }
                // Istio reads a lone destination without a weight as 100; beside another it must say so.
                if (destinations.size() == 1) {
                    destinations.get(0).putIfAbsent("weight", 100);
                }
                destinations.add(new LinkedHashMap<>(Map.of("destination",
                        new LinkedHashMap<>(Map.of("host", host, "subset", subset)), "weight", 0)));
                changed = true;
            }
            return changed;
        });
        progress.accept("deploy: subset " + subset + " in DestinationRule " + destinationRule + ", weight 0 in VirtualService "
                + virtualService);
    }

    /**
     * Removes the candidate, route first so no request is sent to a subset that is going away:
     * its destinations (their weight goes back to the first remaining one) and mirrors, the subset,
     * the Service and the Deployment. What is already gone is skipped.
     */
    void remove() {
        if (exists(IstioTrafficBackend.VIRTUAL_SERVICE, virtualService)) {
            edit(IstioTrafficBackend.VIRTUAL_SERVICE, virtualService, vs -> {
                boolean changed = false;
                for (Map<String, Object> route : routesToHost(vs)) {
                    List<Map<String, Object>> destinations = list(route, "route");
                    int freed = 0;
                    for (Map<String, Object> d : List.copyOf(destinations)) {
                        if (isCandidate(d) && destinations.size() > 1) {
                            freed += d.get("weight") instanceof Number n ? n.intValue() : 0;
                            destinations.remove(d);
                            changed = true;
                        }
                    }
                    if (freed > 0) {
                        Map<String, Object> first = destinations.get(0);
                        first.put("weight", (first.get("weight") instanceof Number n ? n.intValue() : 0) + freed);
                    }
                    if (route.get("mirror") instanceof Map<?, ?> mirror && host.equals(mirror.get("host"))
                            && subset.equals(mirror.get("subset"))) {
                        route.remove("mirror");
                        route.remove("mirrorPercentage");
                        changed = true;
                    }
                }
                return changed;
            });
        }
        if (exists(DESTINATION_RULE, destinationRule)) {
            edit(DESTINATION_RULE, destinationRule, dr -> list(spec(dr), "subsets").removeIf(named(subset)));
        }
        KubernetesCalls.run(namespace, "delete Service " + namespace + "/" + workloadName(),
                () -> client.services().inNamespace(namespace).withName(workloadName()).delete());
        KubernetesCalls.run(namespace, "delete Deployment " + namespace + "/" + workloadName(),
                () -> client.apps().deployments().inNamespace(namespace).withName(workloadName()).delete());
        progress.accept("deploy: candidate " + subset + " removed (route, subset, Service and Deployment "
                + namespace + "/" + workloadName() + ")");
    }

    private boolean isCandidate(Map<String, Object> destination) {
        return destination.get("destination") instanceof Map<?, ?> d && host.equals(d.get("host")) && subset.equals(d.get("subset"));
    }

    private static Predicate<Map<String, Object>> named(String name) {
        return s -> name.equals(s.get("name"));
    }

    /** The HTTP routes with a destination on the host, as mutable maps of the resource. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> routesToHost(GenericKubernetesResource vs) {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Map<String, Object> route : list(spec(vs), "http")) {
            if (list(route, "route").stream().anyMatch(d -> d.get("destination") instanceof Map<?, ?> dest
                    && host.equals(dest.get("host")))) {
                routes.add(route);
            }
        }
        return routes;
    }

    /** {@code map[key]} as a mutable list of mutable maps, put back into {@code map}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
        List<Map<String, Object>> mutable = new ArrayList<>();
        if (map.get(key) instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m) {
                    mutable.add(new LinkedHashMap<>((Map<String, Object>) m));
                }
            }
        }
        map.put(key, mutable);
        return mutable;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> empty = new LinkedHashMap<>();
        resource.getAdditionalProperties().put("spec", empty);
        return empty;
    }

    private boolean exists(ResourceDefinitionContext kind, String name) {
        return KubernetesCalls.call(namespace, "read " + kind.getKind() + " " + namespace + "/" + name,
                () -> client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get()) != null;
    }

    private GenericKubernetesResource read(ResourceDefinitionContext kind, String name) {
        GenericKubernetesResource resource = KubernetesCalls.call(namespace, "read " + kind.getKind() + " " + namespace + "/" + name,
                () -> client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get());
        if (resource == null) {
            throw new BadInputException(Character.toLowerCase(kind.getKind().charAt(0)) + kind.getKind().substring(1) + ": "
                    + kind.getKind() + " " + namespace + "/" + name + " does not exist");
        }
        return resource;
    }

    /** A read-modify-write that writes only when {@code change} says it changed something. */
    private void edit(ResourceDefinitionContext kind, String name, Predicate<GenericKubernetesResource> change) {
        String what = kind.getKind() + " " + namespace + "/" + name;
        ResourceEdit.withRetryOnConflict(what, () -> {
            GenericKubernetesResource resource = read(kind, name);
            if (change.test(resource)) {
                client.genericKubernetesResources(kind).inNamespace(namespace).resource(resource).update();
            }
        });
    }
}
