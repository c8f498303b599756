package io.jenkins.plugins.mlops.revision;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.KubernetesConfigs;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.packaging.ModelUri;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code deployModel} step: the candidate revision onto Kubernetes with no traffic, ready for
 * {@code canaryRollout}. The model version is read first and the image must be the one it names
 * (by digest), so only what {@code packageModel} built from that version runs; everything that can
 * be refused is checked before anything is written, and a candidate that is not ready in time is
 * removed again, so a failed deploy leaves nothing half-applied.
 */
public final class DeployStep {
    private DeployStep() {}

    /**
     * @param registryUri the model registry; a relative {@code file:DIR} is relative to {@code directory}
     * @param directory where a relative kubeconfig is
     */
    public static DeployResult run(DeployParameters p, String registryUri, RegistryCredentials credentials, Path directory,
            Consumer<String> progress) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        ModelVersion version = version(p, registryUri, credentials, directory, progress);
        String image = image(p, version);
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(KubernetesConfigs.of(p.kubeconfig(), p.context(), directory)).build()) {
            String namespace = p.namespace() != null ? p.namespace() : client.getNamespace() != null ? client.getNamespace() : "default";
            List<Check> checks = new ArrayList<>();
            if (image != null) {
                checks.add(Check.of("image_digest", null, Status.PASS, image, ImageDigests.VERSION_TAG + " of " + version.name()
                        + " version " + version.version(), "the image is the one the model version names"));
            }
            if (DeployParameters.KSERVE.equals(p.mode())) {
                return kserve(p, new KServeRevision(client, namespace, p.inferenceService(), progress), image, version,
                        namespace, checks, started, start, progress);
            }
            String app = p.app() != null ? p.app() : version.name();
            String subset = p.candidateSubset() != null ? p.candidateSubset() : "v" + version.version();
            String virtualService = p.virtualService();
            String host = p.host() != null ? p.host() : virtualService;
            String destinationRule = p.destinationRule() != null ? p.destinationRule() : virtualService;
            IstioRevision revision = new IstioRevision(client, namespace, app, subset, host, virtualService, destinationRule,
                    progress);
            String summary;
            if (p.rollback()) {
                revision.remove();
                summary = "Candidate " + subset + " of " + app + " removed from " + namespace + ": route, subset, Service and"
                        + " Deployment " + revision.workloadName();
            } else {
                deployIstio(p, revision, image, version, progress);
                checks.add(ready(p));
                summary = "Candidate " + subset + " (" + image + ") ready in " + namespace + "/" + revision.workloadName()
                        + " at weight 0 in VirtualService " + virtualService + "; canaryRollout --backend istio"
                        + " --candidate-subset " + subset + " moves it";
            }
            progress.accept("deploy: " + summary);
            return new DeployResult(DeployResult.SCHEMA, DeployResult.STEP, Status.worstOf(checks), started,
                    (System.nanoTime() - start) / 1e9, summary, checks, p.mode(), namespace, version.name(), version.version(),
                    image, null, subset, revision.workloadName(), host, virtualService, destinationRule, null, null,
                    p.rollback());
        }
    }

    private static DeployResult kserve(DeployParameters p, KServeRevision revision, String image, ModelVersion version,
            String namespace, List<Check> checks, Instant started, long start, Consumer<String> progress) {
        String summary;
        String created = null;
        if (p.rollback()) {
            revision.restorePrevious();
            summary = "InferenceService " + namespace + "/" + p.inferenceService() + " serves its previous predictor again";
        } else {
            revision.apply(KServeRevision.candidate(image, p.storageUri(), p.port()));
            try {
                created = revision.awaitReady(p.readyTimeout());
            } catch (Readiness.NotReadyException e) {
                progress.accept("deploy: " + e.getMessage() + "; restoring the previous predictor");
                revision.restorePrevious();
                throw new Readiness.NotReadyException(e.getMessage() + " (the previous predictor was restored)");
            }
            checks.add(ready(p));
            summary = "Candidate revision " + created + " of InferenceService " + namespace + "/" + p.inferenceService() + " ("
                    + (image != null ? image : p.storageUri()) + ") ready at canaryTrafficPercent 0; canaryRollout --backend"
                    + " kserve moves it";
        }
        progress.accept("deploy: " + summary);
        return new DeployResult(DeployResult.SCHEMA, DeployResult.STEP, Status.worstOf(checks), started,
                (System.nanoTime() - start) / 1e9, summary, checks, p.mode(), namespace, version.name(), version.version(),
                image, p.storageUri(), null, null, null, null, null, p.inferenceService(), created, p.rollback());
    }

    private static Check ready(DeployParameters p) {
        return Check.of("ready", null, Status.PASS, "ready", "ready within " + p.readyTimeout().toSeconds() + " s",
                "the candidate's pods pass /ping");
    }

    private static void deployIstio(DeployParameters p, IstioRevision revision, String image, ModelVersion version,
            Consumer<String> progress) {
        Deployment deployment = revision.deployment(image, p.port(), p.replicas(), p.cpu(), p.memory(),
                "models:/" + version.name() + "/" + version.version());
        Service service = revision.service(p.port());
        revision.check(deployment, service);
        revision.applyWorkload(deployment, service);
        try {
            revision.awaitReady(p.readyTimeout());
        } catch (Readiness.NotReadyException e) {
            progress.accept("deploy: " + e.getMessage() + "; removing what this deploy applied");
            revision.remove();
            throw new Readiness.NotReadyException(e.getMessage() + " (the candidate's Deployment and Service were removed)");
        }
        revision.addRoute();
    }

    private static ModelVersion version(DeployParameters p, String registryUri, RegistryCredentials credentials, Path directory,
            Consumer<String> progress) {
        ModelUri uri = p.modelUri();
        ModelRegistry models = ModelRegistries.open(ModelRegistries.resolve(registryUri, directory), credentials, p.timeout(),
                progress);
        return uri.alias() != null ? models.getByAlias(uri.name(), uri.alias()) : models.get(uri.name(), uri.version());
    }

    /** The image by digest, checked against the one the version names; null on KServe's image-free path. */
    private static String image(DeployParameters p, ModelVersion version) {
        if (p.storageUri() != null && p.image() == null) {
            return null;
        }
        String wanted = p.image() != null ? p.image() : version.tags().get(ImageDigests.VERSION_TAG);
        if (wanted == null) {
            throw new BadInputException("model " + version.name() + " version " + version.version() + " names no image (no "
                    + ImageDigests.VERSION_TAG + " tag): package it with mlops package first");
        }
        return ImageDigests.requireNamedBy(version, wanted).toString();
    }
}
