package io.jenkins.plugins.mlops.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlops.TestProcesses;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Kubernetes control plane for tests, on loopback: etcd, kube-apiserver (TLS, RBAC),
 * kube-controller-manager, kube-scheduler, and kwok playing the nodes and their pods (no kubelet,
 * no containers). Built by {@code scripts/k8s/build.sh}, whose folder {@code MLOPS_K8S_BIN} (or the
 * system property {@code mlops.k8s.bin}) names; without it the newest complete build in the cache
 * is used. Started once per test JVM, on first use, and stopped by a shutdown hook. Without the
 * binaries a test is skipped, except under {@code CI=true}, where that is a failure.
 *
 * <p>Nodes: a GPU pool ({@link #A100} x2, {@link #H100} x1; 8 {@code nvidia.com/gpu} each, tainted
 * {@code nvidia.com/gpu=present:NoSchedule}) and a CPU pool (x2). A pod runs until the test sets
 * its {@link #EXIT_CODE_LABEL} ({@link #endPod}); a pod being deleted ends as a kubelet's would
 * (Failed, 143) and is removed. kwok serves every {@code train} container's log from
 * {@link #appendTrainingLog one file}, through the API server's {@code pods/log}, followed or not.
 * Istio's VirtualService and DestinationRule and KServe's InferenceService exist as minimal structural CRDs (crds.yaml),
 * so their writes meet schema validation and pruning; no controller acts on them.
 */
public final class TestCluster {
    public static final String A100 = "NVIDIA-A100-SXM4-80GB";
    public static final String H100 = "NVIDIA-H100-80GB-HBM3";
    public static final int GPUS_PER_NODE = 8;
    /** kwok ends a Running pod with this exit code once the label is set (0: Succeeded, else Failed). */
    public static final String EXIT_CODE_LABEL = "mlops.test/exit-code";
    /** The terminated container's reason (OOMKilled, say); default Completed or Error. */
    public static final String REASON_ANNOTATION = "mlops.test/reason";
    /** The identity mlops runs as: a service account with only the ClusterRole {@code mlops}, bound per namespace. */
    public static final String MLOPS_USER = "system:serviceaccount:mlops:mlops";
    public static final String URGENT_PRIORITY_CLASS = "mlops-test-urgent";

    private static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kwok");
    /** Generous: the CI machine has 2 busy cores; an idle one is ready in about 15 s. */
    private static final Duration READY_DEADLINE = Duration.ofMinutes(4);
    private static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

    private static TestCluster instance;
    private static RuntimeException startFailure;

    private final Path dir;
    private final List<Component> components = new ArrayList<>();
    private final Path trainingLog;
    private Path adminKubeconfig;
    private Path mlopsKubeconfig;
    private KubernetesClient admin;
    private Duration startup;

    private TestCluster(Path dir) {
        this.dir = dir;
        this.trainingLog = dir.resolve("train.log");
    }

    /** The cluster of this JVM, started on first call (about 15 s on an idle machine). */
    public static synchronized TestCluster get() {
        if (instance != null) {
            return instance;
        }
        if (startFailure != null) {
            throw startFailure;
        }
        Path bin = binaries();
        try {
            TestCluster cluster = new TestCluster(Files.createTempDirectory("mlops-k8s-"));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "mlops-test-cluster-stop"));
            cluster.start(bin);
            instance = cluster;
            return cluster;
        } catch (IOException e) {
            startFailure = new IllegalStateException("cannot start the test cluster: " + e.getMessage(), e);
            throw startFailure;
        } catch (RuntimeException | AssertionError e) {
            startFailure = new IllegalStateException("the test cluster did not start: " + e.getMessage(), e);
            throw startFailure;
        }
    }

    /** A client with every right (system:masters), for the test's own moves; shared, do not close. */
    public KubernetesClient admin() {
        return admin;
    }

    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    /** The kubeconfig of the mlops service account (a bearer token), as a user's CI would hold. */
    public Path mlopsKubeconfig() {
        return mlopsKubeconfig;
    }

    public Config mlopsConfig() {
        return Config.fromKubeconfig(null, new File(mlopsKubeconfig.toString()));
    }

    /** A new client as the mlops service account; the caller closes it. */
    public KubernetesClient mlopsClient() {
        return new KubernetesClientBuilder().withConfig(mlopsConfig()).build();
    }

    /** The API server's URL, e.g. for a Jenkins Kubernetes cloud. */
    public String apiServer() {
        return admin.getMasterUrl().toString();
    }

    /** The cluster CA's certificate (PEM), which signed the API server's serving certificate. */
    public String caCertificatePem() {
        try {
            return Files.readString(dir.resolve("pki").resolve("ca.crt"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A bearer token for a new service account {@code name} in {@code namespace}, bound there to
     * the ClusterRole {@code role} (e.g. {@code edit}, what a Jenkins cloud needs to run agent pods).
     */
    public String serviceAccountToken(String namespace, String name, String role) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).create();
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
                .withNewMetadata().withName(name + "-" + role).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject()
                .build()).create();
        return token(namespace, name);
    }

    private String token(String namespace, String serviceAccount) {
        return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(Duration.ofDays(2).toSeconds()).endSpec().build()).getStatus().getToken();
    }

    /** How long the cluster took from the first process to ready (certificates, nodes and accounts included). */
    public Duration startup() {
        return startup;
    }

    /** Resident memory of each process now, in KiB, by binary. */
    public Map<String, Long> residentKib() {
        Map<String, Long> rss = new LinkedHashMap<>();
        for (Component component : components) {
            try {
                Files.readAllLines(Path.of("/proc", String.valueOf(component.process().pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).findFirst()
                        .ifPresent(l -> rss.put(component.name(), Long.parseLong(l.replaceAll("\\D", ""))));
            } catch (IOException e) {
                rss.put(component.name(), -1L);
            }
        }
        return rss;
    }

    /**
     * A new namespace where the mlops service account has its ClusterRole (a RoleBinding), ready
     * for pods (its default service account exists).
     */
    public String namespace(String prefix) {
        String namespace = namespaceWithoutRights(prefix);
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("mlops").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("mlops").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("mlops").withNamespace("mlops").endSubject()
                .build()).create();
        return namespace;
    }

    /** A new namespace where mlops may do nothing: RBAC denies every request of its service account. */
    public String namespaceWithoutRights(String prefix) {
        String namespace = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        await(() -> admin.serviceAccounts().inNamespace(namespace).withName("default").get() != null,
                "the default service account of namespace " + namespace);
        return namespace;
    }

    /** Ends the pod's training container with {@code exitCode}, as kwok plays it (see kwok-stages.yaml). */
    public void endPod(String namespace, String pod, int exitCode, String reason) {
        admin.pods().inNamespace(namespace).withName(pod).edit(p -> {
            Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(p.getMetadata().getLabels()).orElse(Map.of()));
            labels.put(EXIT_CODE_LABEL, String.valueOf(exitCode));
            p.getMetadata().setLabels(labels);
            if (reason != null) {
                Map<String, String> annotations = new LinkedHashMap<>(
                        Optional.ofNullable(p.getMetadata().getAnnotations()).orElse(Map.of()));
                annotations.put(REASON_ANNOTATION, reason);
                p.getMetadata().setAnnotations(annotations);
            }
            return p;
        });
    }

    /** Waits for a pod in {@code namespace} that {@code condition} accepts. */
    public Pod awaitPod(String namespace, Predicate<Pod> condition, String what) {
        Pod[] found = new Pod[1];
        try {
            await(() -> {
                found[0] = admin.pods().inNamespace(namespace).list().getItems().stream().filter(condition).findFirst().orElse(null);
                return found[0] != null;
            }, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the cluster's pods: " + describePods(), e);
        }
        return found[0];
    }

    /** Every pod: where it runs and, if it waits, the scheduler's reason; a timed-out test says what held it up. */
    private String describePods() {
        StringBuilder pods = new StringBuilder();
        for (Pod pod : admin.pods().inAnyNamespace().list().getItems()) {
            pods.append("\n  ").append(pod.getMetadata().getNamespace()).append('/').append(pod.getMetadata().getName())
                    .append(' ').append(pod.getStatus() == null ? "?" : pod.getStatus().getPhase())
                    .append(" on ").append(pod.getSpec().getNodeName());
            if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
                pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                        .forEach(c -> pods.append(": ").append(c.getMessage()));
            }
        }
        return pods.toString();
    }

    /** A pod's phase is Running and it has a node. */
    public static Predicate<Pod> running() {
        return p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getSpec().getNodeName() != null;
    }

    /** The node a pod runs on. */
    public Node node(Pod pod) {
        return admin.nodes().withName(pod.getSpec().getNodeName()).get();
    }

    /**
     * Appends lines to the log that kwok serves as every {@code train} container's: a followed log
     * ({@code kubectl logs -f}) sees them as they come. The file is shared by all pods, so a test
     * starts with {@link #clearTrainingLog()}.
     */
    public void appendTrainingLog(String... lines) {
        StringBuilder entries = new StringBuilder();
        for (String line : lines) {
            // The CRI log format a kubelet reads: time, stream, full line (F), text.
            entries.append(Instant.now()).append(" stdout F ").append(line).append('\n');
        }
        try {
            Files.writeString(trainingLog, entries, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void clearTrainingLog() {
        try {
            Files.writeString(trainingLog, "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} until true; the deadline only stops a hang, so it is generous for a busy CI machine. */
    public static void await(BooleanSupplier condition, String what) {
        await(condition, what, Duration.ofSeconds(120));
    }

    private static void await(BooleanSupplier condition, String what, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (KubernetesClientException e) {
                // The API server answers again in a moment (a watch cache warming up); the deadline bounds it.
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private void start(Path bin) throws IOException {
        Instant began = Instant.now();
        Files.createDirectories(dir.resolve("logs"));
        Path pki = Files.createDirectories(dir.resolve("pki"));
        clearTrainingLog();
        ClusterCertificates certificates = ClusterCertificates.create(pki);
        ClusterCertificates.KeyPair serving = certificates.server("kube-apiserver", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
        int etcdPort = TestProcesses.freePort();
        int apiPort = TestProcesses.freePort();
        int kwokPort = TestProcesses.freePort();
        String apiServer = "https://127.0.0.1:" + apiPort;

        launch("etcd", bin, "--name=test", "--data-dir=" + dir.resolve("etcd"), "--unsafe-no-fsync",
                "--listen-client-urls=http://127.0.0.1:" + etcdPort, "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + TestProcesses.freePort(), "--log-level=warn");
        launch("kube-apiserver", bin, "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--secure-port=" + apiPort, "--cert-dir=" + dir.resolve("apiserver"),
                "--tls-cert-file=" + serving.certificate(), "--tls-private-key-file=" + serving.key(),
                "--client-ca-file=" + certificates.ca(), "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + certificates.serviceAccountPublicKey(),
                "--service-account-signing-key-file=" + certificates.serviceAccountKey(),
                "--service-cluster-ip-range=10.96.0.0/16", "--endpoint-reconciler-type=none",
                // One client (the tests) needs no fairness queues; they cost memory and goroutines.
                "--enable-priority-and-fairness=false", "--profiling=false");
        // The other components retry until the API server answers: starting them now overlaps their start-up with its.
        Path controllerManager = kubeconfig("controller-manager", apiServer, certificates,
                certificates.client("system:kube-controller-manager", null));
        launch("kube-controller-manager", bin, "--kubeconfig=" + controllerManager, "--leader-elect=false",
                "--use-service-account-credentials=true", "--root-ca-file=" + certificates.ca(),
                "--service-account-private-key-file=" + certificates.serviceAccountKey(),
                "--bind-address=127.0.0.1", "--secure-port=" + TestProcesses.freePort(), "--profiling=false");
        Path scheduler = kubeconfig("scheduler", apiServer, certificates, certificates.client("system:kube-scheduler", null));
        launch("kube-scheduler", bin, "--kubeconfig=" + scheduler, "--leader-elect=false",
                "--bind-address=127.0.0.1", "--secure-port=" + TestProcesses.freePort(), "--profiling=false");
        Path kwok = kubeconfig("kwok", apiServer, certificates, certificates.client("kwok", "system:masters"));
        ClusterCertificates.KeyPair kwokServing = certificates.server("kwok");
        launch("kwok", bin, "--kubeconfig=" + kwok, "--config=" + kwokConfig(),
                "--manage-all-nodes=false", "--manage-nodes-with-annotation-selector=" + KWOK_NODE_ANNOTATION + "=fake",
                "--node-ip=127.0.0.1", "--node-port=" + kwokPort, "--server-address=127.0.0.1:" + kwokPort,
                "--tls-cert-file=" + kwokServing.certificate(), "--tls-private-key-file=" + kwokServing.key());

        adminKubeconfig = kubeconfig("admin", apiServer, certificates, certificates.client("admin", "system:masters"));
        admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                Config.fromKubeconfig(null, new File(adminKubeconfig.toString()))).withRequestRetryBackoffLimit(0).build()).build();
        awaitUp(() -> "ok".equals(admin.raw("/readyz")), "kube-apiserver's /readyz");
        try (InputStream setup = TestCluster.class.getResourceAsStream("cluster-setup.yaml")) {
            admin.load(setup).serverSideApply();
        }
        try (InputStream crds = TestCluster.class.getResourceAsStream("crds.yaml")) {
            admin.load(crds).serverSideApply();
        }
        nodes().forEach(node -> admin.nodes().resource(node).create());
        mlopsKubeconfig = writeKubeconfig("mlops", apiServer, certificates, "token: " + token("mlops", "mlops"));
        // The controller-manager is up once it made a namespace's default account; kwok once its nodes are Ready and
        // the node lifecycle controller took their not-ready taint off, so pods can land.
        awaitUp(() -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null,
                "the default service account (kube-controller-manager)");
        awaitUp(() -> admin.nodes().list().getItems().stream().allMatch(TestCluster::schedulable), "Ready, untainted nodes (kwok)");
        awaitUp(() -> admin.apiextensions().v1().customResourceDefinitions().list().getItems().stream().allMatch(crd ->
                crd.getStatus() != null && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()))),
                "the Istio and KServe CRDs established");
        startup = Duration.between(began, Instant.now());
        System.out.printf(Locale.ROOT, "test cluster ready in %.1f s at %s (%s); resident KiB %s%n", startup.toMillis() / 1000.0,
                apiServer, dir, residentKib());
    }

    /** As {@link #await}, failing at once with its log when a process of the cluster exits. */
    private void awaitUp(BooleanSupplier condition, String what) {
        await(() -> {
            for (Component component : components) {
                if (!component.process().isAlive()) {
                    throw new AssertionError(component.name() + " exited with " + component.process().exitValue()
                            + " while waiting for " + what + "; the end of its log:\n" + TestProcesses.logTail(component.log()));
                }
            }
            return condition.getAsBoolean();
        }, what, READY_DEADLINE);
    }

    private static boolean schedulable(Node node) {
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean notReadyTaint = node.getSpec().getTaints() != null && node.getSpec().getTaints().stream()
                .anyMatch(t -> t.getKey().startsWith("node.kubernetes.io/"));
        return ready && !notReadyTaint;
    }

    /** The GPU pool (two A100 nodes, one H100) and the CPU pool (two nodes). */
    private static List<Node> nodes() {
        return List.of(gpuNode("gpu-a100-0", A100), gpuNode("gpu-a100-1", A100), gpuNode("gpu-h100-0", H100),
                node("cpu-0", "cpu").build(), node("cpu-1", "cpu").build());
    }

    private static Node gpuNode(String name, String product) {
        return node(name, "gpu")
                .editMetadata()
                    .addToLabels("nvidia.com/gpu.product", product)
                    .addToLabels("nvidia.com/gpu.count", String.valueOf(GPUS_PER_NODE))
                    .addToLabels("nvidia.com/gpu.present", "true")
                .endMetadata()
                .editSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint().endSpec()
                .editStatus()
                    .addToAllocatable("nvidia.com/gpu", new Quantity(String.valueOf(GPUS_PER_NODE)))
                    .addToCapacity("nvidia.com/gpu", new Quantity(String.valueOf(GPUS_PER_NODE)))
                .endStatus()
                .build();
    }

    private static NodeBuilder node(String name, String pool) {
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("64"), "memory", new Quantity("512Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("1Ti"));
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(name)
                    .addToLabels("kubernetes.io/hostname", name)
                    .addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("kubernetes.io/arch", "amd64")
                    .addToLabels("type", "kwok")
                    .addToLabels("mlops.test/pool", pool)
                    .addToAnnotations(KWOK_NODE_ANNOTATION, "fake")
                .endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(new LinkedHashMap<>(resources)).withCapacity(new LinkedHashMap<>(resources))
                .endStatus();
    }

    /**
     * kwok's configuration: parallelism and handlers set explicitly (a config file turns the defaults off), the
     * training log it serves, and the stages (kwok-stages.yaml).
     */
    private Path kwokConfig() throws IOException {
        String options = """
                apiVersion: config.kwok.x-k8s.io/v1alpha1
                kind: KwokConfiguration
                options:
                  cidr: 10.0.0.1/16
                  nodeLeaseDurationSeconds: 40
                  nodeLeaseParallelism: 2
                  nodePlayStageParallelism: 2
                  podPlayStageParallelism: 4
                  podsOnNodeSyncParallelism: 2
                  # Its kubelet API, which serves the log (off, too, without a config's say-so).
                  enableDebuggingHandlers: true
                  enableProfilingHandler: false
                ---
                apiVersion: kwok.x-k8s.io/v1alpha1
                kind: ClusterLogs
                metadata:
                  name: training-log
                spec:
                  logs:
                  - containers: [train]
                    logsFile: %s
                    follow: true
                ---
                """.formatted(trainingLog);
        String stages;
        try (InputStream in = TestCluster.class.getResourceAsStream("kwok-stages.yaml")) {
            stages = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.writeString(dir.resolve("kwok.yaml"), options + stages);
    }

    private Path kubeconfig(String name, String server, ClusterCertificates certificates, ClusterCertificates.KeyPair user)
            throws IOException {
        return writeKubeconfig(name, server, certificates,
                "client-certificate-data: " + user.certificateData() + "\n    client-key-data: " + user.keyData());
    }

    private Path writeKubeconfig(String name, String server, ClusterCertificates certificates, String credentials)
            throws IOException {
        String ca = new ClusterCertificates.KeyPair(certificates.ca(), certificates.ca()).certificateData();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    %s
                contexts:
                - name: %s
                  context:
                    cluster: test
                    user: %s
                    namespace: default
                current-context: %s
                """.formatted(server, ca, name, credentials, name, name, name);
        return Files.writeString(dir.resolve(name + ".kubeconfig"), kubeconfig);
    }

    private void launch(String name, Path bin, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(bin.resolve(name).toString()));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("logs").resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        components.add(new Component(name, process, log));
    }

    /** Stops the processes, newest first, and removes the cluster's files. */
    private void stop() {
        if (admin != null) {
            admin.close();
        }
        for (int i = components.size() - 1; i >= 0; i--) {
            Component component = components.get(i);
            try {
                TestProcesses.stopTree(component.process(), component.name());
            } catch (IllegalStateException e) {
                System.err.println("test cluster: " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is not worth failing a run for.
        }
    }

    /** The folder of the five binaries; a skip without it, or a failure under CI. */
    static Path binaries() {
        String configured = System.getProperty("mlops.k8s.bin", System.getenv("MLOPS_K8S_BIN"));
        Optional<Path> found = configured != null && !configured.isBlank() ? Optional.of(Path.of(configured)).filter(TestCluster::complete)
                : newestCachedBuild();
        if (found.isPresent()) {
            return found.get();
        }
        String why = "no Kubernetes test binaries (" + String.join(", ", BINARIES) + ") in "
                + (configured != null ? "MLOPS_K8S_BIN=" + configured : "~/.cache/mlops/k8s")
                + "; scripts/k8s/build.sh builds them (scripts/test.sh runs it)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + ". Under CI=true the Kubernetes tests must run.");
        }
        Assumptions.abort(why);
        return null;
    }

    private static Optional<Path> newestCachedBuild() {
        String cache = Optional.ofNullable(System.getenv("MLOPS_K8S_CACHE"))
                .orElse(System.getProperty("user.home") + "/.cache/mlops/k8s");
        try (Stream<Path> builds = Files.list(Path.of(cache))) {
            return builds.filter(TestCluster::complete).max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean complete(Path folder) {
        return BINARIES.stream().allMatch(b -> Files.isExecutable(folder.resolve(b)));
    }

    /** One process of the cluster and where its output goes. */
    private record Component(String name, Process process, Path log) {}
}
