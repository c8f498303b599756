package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.ModelServer;
import io.jenkins.plugins.mlops.deploy.ServedModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops router} as a service of its own, in front of two MLflow scoring servers, driven by
 * {@code mlops shadow} and {@code mlops canary} through its admin API while clients send requests
 * in a loop through it, before, throughout both steps and after them: not one client request
 * fails, because the steps change the router's mirror and weights and never its lifetime.
 */
class RunningRouterTest {
    private static final String TOKEN = "running-router-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 2;

    @TempDir
    static Path dir;

    private static ServedModels served;
    private static ModelServer stable;
    private static ModelServer candidate;
    private static List<String> bodies;

    @BeforeAll
    static void serveModels() {
        served = ServedModels.start(dir);
        stable = served.primary();
        candidate = served.shadow();
        bodies = served.bodies();
    }

    @AfterAll
    static void stopModels() {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void clientsSeeNoErrorThroughAShadowStepACanaryStepAndAfterThem() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("router-token"), TOKEN + "\n");
        Process router = startRouter();
        URI uri = URI.create(routerUrl);
        Clients clients = new Clients(uri);
        try {
            clients.start();
            awaitTrue(() -> clients.answered() >= 20, "the clients' first answers");
            long beforeShadow = clients.sent();

            InProcess shadow = InProcess.mlops("shadow", "--router", routerUrl, "--router-token-file", tokenFile.toString(),
                    "--shadow", candidate.url(), "--requests", "150", "--max-disagreement", "1", "--max-latency-ratio", "100",
                    "--json");
            long afterShadow = clients.sent();

            assertThat(shadow.code()).as("the shadow step: stdout %s, stderr %s", shadow.out(), shadow.err()).isZero();
            JsonNode shadowResult = JSON.readTree(shadow.out());
            assertThat(shadowResult.get("requests").asLong()).isGreaterThanOrEqualTo(150);
            assertThat(shadowResult.get("rows").asLong()).isPositive();
            assertThat(shadowResult.at("/mirror/sent").asLong()).isGreaterThanOrEqualTo(150);
            assertThat(shadow.err()).doesNotContain(TOKEN);
            assertThat(admin(uri, "mirror").get("url").isNull()).as("the mirror is off after the step").isTrue();

            InProcess canary = InProcess.mlops("canary", "--router", routerUrl, "--router-token-file", tokenFile.toString(),
                    "--steps", "50,100", "--step-duration", "4s", "--interval", "1s", "--min-requests", "10",
                    "--max-prediction-drift", "1", "--max-latency-ratio", "100", "--log", "none", "--json");
            long afterCanary = clients.sent();

            assertThat(canary.code()).as(canary.err()).isZero();
            assertThat(JSON.readTree(canary.out()).get("outcome").asText()).isEqualTo("promoted");
            assertThat(admin(uri, "weights").get("weights")).isEqualTo(JSON.readTree("{\"stable\": 0, \"candidate\": 100}"));

            long target = afterCanary + 100;
            awaitTrue(() -> clients.sent() >= target, "100 requests after the canary step");
            clients.stop();

            System.out.printf("running router: %d client requests (%d before the shadow step, %d during it, %d during the"
                    + " canary step, %d after it), %d errors; by variant %s%n", clients.sent(), beforeShadow,
                    afterShadow - beforeShadow, afterCanary - afterShadow, clients.sent() - afterCanary, clients.errors.size(),
                    clients.byVariant);
            assertThat(clients.errors).as("client errors").isEmpty();
            assertThat(clients.answered()).isEqualTo(clients.sent());
            assertThat(clients.byVariant.get("candidate").get()).as("the candidate answered clients").isPositive();
            assertThat(afterShadow - beforeShadow).isPositive();
            assertThat(afterCanary - afterShadow).isPositive();
            assertThat(router.isAlive()).isTrue();
        } finally {
            clients.stop();
            TestProcesses.stopTree(router, "mlops router");
        }
    }

    private String routerUrl;

    /** {@code mlops router} in a JVM of its own, its admin token from the environment, as a Deployment runs it. */
    private Process startRouter() throws Exception {
        int port = TestProcesses.freePort();
        routerUrl = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MlopsCommand.class.getName(), "router",
                "--listen", "127.0.0.1:" + port, "--variant", "stable=" + stable.url(), "--variant", "candidate=" + candidate.url(),
                "--state", dir.resolve("router-state.json").toString(), "--event-loops", "2"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("router.log").toFile());
        builder.environment().put("MLOPS_ADMIN_TOKEN", TOKEN);
        Process router = builder.start();
        awaitTrue(() -> log().contains("listening on") || !router.isAlive(), "the router listens");
        assertThat(router.isAlive()).as(log()).isTrue();
        return router;
    }

    private static JsonNode admin(URI router, String resource) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(router.resolve("/admin/v1/" + resource))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("router.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the router printed:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /** Clients that send one request after another, on keep-alive connections, and keep every failure. */
    private static final class Clients {
        private final URI router;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong answered = new AtomicLong();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicLong> byVariant = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();

        Clients(URI router) {
            this.router = router;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                Thread thread = new Thread(() -> loop(client), "client-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private void loop(int client) {
            for (long n = client; running.get(); n += CLIENTS) {
                HttpRequest request = HttpRequest.newBuilder(router.resolve("/invocations")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get((int) (n % bodies.size())))).build();
                sent.incrementAndGet();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200 || !response.body().contains("predictions")) {
                        errors.add(response.statusCode() + " " + response.body());
                    } else {
                        answered.incrementAndGet();
                        byVariant.computeIfAbsent(response.headers().firstValue("X-Mlops-Variant").orElse("?"), v -> new AtomicLong())
                                .incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.add(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        long sent() {
            return sent.get();
        }

        long answered() {
            return answered.get();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(90));
            }
        }
    }
}
