package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against a real MLflow tracking server (started once for the class), and what
 * only MLflow has: the upload through the artifact proxy, the run with lineage and metrics, the
 * view the MLflow UI reads, and retries across a server restart.
 */
class MlflowRegistryContractTest extends ModelRegistryContract {
    @TempDir
    static Path serverDir;

    static MlflowServer server;

    @BeforeAll
    static void startServer() {
        server = MlflowServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    ModelRegistry registry() {
        return registry(Duration.ofSeconds(30));
    }

    private MlflowRegistry registry(Duration timeout) {
        return new MlflowRegistry(URI.create(server.uri()), RegistryCredentials.NONE, timeout, progress::add);
    }

    @Override
    void deleteVersion(String name, int version) throws IOException {
        HttpRequest delete = HttpRequest.newBuilder(URI.create(server.uri() + "/api/2.0/mlflow/model-versions/delete"))
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(Json.mapper().createObjectNode()
                        .put("name", name).put("version", String.valueOf(version)).toString()))
                .build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    void deleteModelFiles(ModelVersion version) throws IOException {
        deleteTree(findArtifact(version.runId(), "model/MLmodel").getParent());
    }

    @Test
    void aLocalModelIsUploadedIntoARunAndRegisteredFromIt() throws IOException {
        String name = uniqueName();
        Path model = model("uploaded");

        ModelVersion version = registry().register(registration(name, model, "key-up", List.of(), Map.of())).version();

        assertThat(version.runId()).isNotBlank();
        assertThat(version.source()).isEqualTo("runs:/" + version.runId() + "/model");
        Path uploaded = findArtifact(version.runId(), "model/data/model weights.bin");
        assertThat(uploaded).hasSameBinaryContentAs(model.resolve("data/model weights.bin"));
        // A model of a few bytes is counted in bytes, not "0.0 of 0.0 MB".
        assertThat(progress).anyMatch(line -> line.matches("registry: uploaded 2/2 files \\(\\d+ B of \\d+ B\\) .*"));
    }

    @Test
    void theRunCarriesTheGateMetricsAndTheLineageTagsAndIsFinished() throws IOException {
        String name = uniqueName();
        ModelVersion version = registry().register(registration(name, model("run"), "key-run", List.of(),
                Map.of("mlops.build_url", "https://ci.example.com/job/churn/7/"))).version();

        JsonNode run = json("/api/2.0/mlflow/runs/get?run_id=" + version.runId()).path("run");

        assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
        assertThat(run.path("data").path("metrics").toString()).contains("\"key\":\"auc\"", "0.91");
        assertThat(run.path("data").path("tags").toString())
                .contains("mlops.build_url", "https://ci.example.com/job/churn/7/", "key-run");
        assertThat(registry().recordedMetrics(version)).containsEntry("auc", 0.91);
    }

    @Test
    void theMlflowUiViewShowsTheVersionWithItsTagsAndAliases() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("ui"), "key-ui", List.of("staging"), Map.of("team", "churn")));

        // The registered model page reads registered-models/get, the version page model-versions/get.
        JsonNode model = json("/api/2.0/mlflow/registered-models/get?name=" + encode(name)).path("registered_model");
        JsonNode version = json("/api/2.0/mlflow/model-versions/get?name=" + encode(name) + "&version=1").path("model_version");

        assertThat(model.path("aliases").toString()).isEqualTo("[{\"alias\":\"staging\",\"version\":\"1\"}]");
        assertThat(model.path("latest_versions").get(0).path("version").asText()).isEqualTo("1");
        assertThat(version.path("tags").toString()).contains("\"key\":\"team\",\"value\":\"churn\"", "mlops.idempotency_key");
        assertThat(version.path("aliases").toString()).isEqualTo("[\"staging\"]");
    }

    @Test
    void aRunsUriRegistersFromThatRunWithoutANewUpload() throws IOException {
        String name = uniqueName();
        ModelVersion first = registry().register(registration(name, model("first"), "key-1", List.of(), Map.of())).version();
        Registration again = new Registration(name, ModelSource.parse(first.source()), null, List.of("champion"),
                Map.of(), Map.of(), null, null, null, "key-2");

        ModelVersion second = registry().register(again).version();

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(second.source()).isEqualTo(first.source());
    }

    @Test
    void retriesWaitOutAServerThatIsStoppedAndStartedAgain() throws Exception {
        String name = uniqueName();
        Path model = model("restart");
        server.stop();
        Thread restart = new Thread(server::start, "restart-mlflow");
        restart.start();
        try {
            ModelVersion version = registry(Duration.ofSeconds(150))
                    .register(registration(name, model, "key-restart", List.of("staging"), Map.of())).version();

            assertThat(version.version()).isEqualTo(1);
            assertThat(progress).anyMatch(line -> line.contains("retrying") && line.contains("ConnectException"));
            assertThat(registry().list(name)).hasSize(1);
        } finally {
            restart.join();
        }
    }

    @Test
    void aCreateWhoseAnswerIsLostIsFoundByItsKeyInsteadOfMadeTwice() throws Exception {
        String name = uniqueName();
        AtomicInteger creates = new AtomicInteger();
        // Forwards everything to MLflow, but answers the first version create with 503 after it landed.
        HttpServer proxy = proxy(path -> { }, path -> path.endsWith("model-versions/create") && creates.incrementAndGet() == 1);
        try {
            MlflowRegistry throughProxy = new MlflowRegistry(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()),
                    RegistryCredentials.NONE, Duration.ofSeconds(30), progress::add);

            Registered registered = throughProxy.register(registration(name, model("lost"), "key-lost", List.of("staging"), Map.of()));

            assertThat(registered.version().version()).isEqualTo(1);
            assertThat(registered.version().aliases()).containsExactly("staging");
            assertThat(creates.get()).isEqualTo(1);
            assertThat(registry().list(name)).hasSize(1);
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void twoRegistrationsOfOneBuildAtOnceLeaveOneVersionWithItsAliasAndSaySo() throws Exception {
        String name = uniqueName();
        Path model = model("race");
        // Holds each version create until both registrations have sent theirs: both searched, found nothing, and create.
        CountDownLatch bothCreating = new CountDownLatch(2);
        HttpServer proxy = proxy(path -> {
            if (path.endsWith("model-versions/create")) {
                bothCreating.countDown();
                bothCreating.await(60, TimeUnit.SECONDS);
            }
        }, path -> false);
        try {
            MlflowRegistry throughProxy = new MlflowRegistry(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()),
                    RegistryCredentials.NONE, Duration.ofSeconds(60), progress::add);
            ExecutorService builds = Executors.newFixedThreadPool(2);
            try {
                List<Future<Registered>> both = builds.invokeAll(List.of(
                        () -> throughProxy.register(registration(name, model, "key-race", List.of("staging"), Map.of())),
                        () -> throughProxy.register(registration(name, model, "key-race", List.of("staging"), Map.of()))));
                Registered a = both.get(0).get();
                Registered b = both.get(1).get();

                assertThat(bothCreating.getCount()).isZero();
                assertThat(a.version().version()).isEqualTo(b.version().version());
                assertThat(List.of(a.created(), b.created())).containsExactlyInAnyOrder(true, false);
                List<ModelVersion> versions = registry().list(name);
                assertThat(versions).hasSize(1);
                assertThat(versions.get(0).aliases()).containsExactly("staging");
                assertThat(progress).anyMatch(line -> line.contains("at the same time; deleted the duplicate version"));
            } finally {
                builds.shutdownNow();
            }
        } finally {
            proxy.stop(0);
        }
    }

    /** What a test proxy does before forwarding a request (may wait), and whether it loses MLflow's answer (a 503 instead). */
    private interface BeforeForward {
        void accept(String path) throws InterruptedException;
    }

    /** A proxy to the MLflow server that can hold requests and lose answers, as a flaky network does. */
    private static HttpServer proxy(BeforeForward before, Predicate<String> loseAnswer) throws IOException {
        HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newCachedThreadPool());
        proxy.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(server.uri() + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                forward.header("Content-Type", contentType);
            }
            try {
                before.accept(path);
                HttpResponse<byte[]> answer = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                boolean lose = loseAnswer.test(path);
                byte[] reply = lose ? "upstream connect error".getBytes(StandardCharsets.UTF_8) : answer.body();
                exchange.sendResponseHeaders(lose ? 503 : answer.statusCode(), reply.length == 0 ? -1 : reply.length);
                exchange.getResponseBody().write(reply);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        proxy.start();
        return proxy;
    }

    private JsonNode json(String pathAndQuery) throws IOException {
        return Json.mapper().readTree(server.getJson(pathAndQuery, Map.of()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Path findArtifact(String runId, String relative) throws IOException {
        try (Stream<Path> files = Files.walk(server.artifactsDirectory())) {
            return files.filter(path -> path.toString().replace('\\', '/').endsWith(runId + "/artifacts/" + relative))
                    .findFirst().orElseThrow(() -> new AssertionError(relative + " of run " + runId + " was not uploaded"));
        }
    }
}
