package io.jenkins.plugins.mlops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.router.HeaderRoute;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.router.Stickiness;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's own behaviour, against small in-process upstreams (the MLflow tests are in RouterWithMlflowTest). */
class RouterTest {
    private static final String BODY = "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0], [2.0]]}}";
    private static final String TOKEN = "s3cret-admin-token";

    @TempDir
    Path dir;

    private FaultyServer stable;
    private FaultyServer candidate;

    @BeforeEach
    void upstreams() {
        stable = FaultyServer.start(0.25);
        candidate = FaultyServer.start(0.75);
    }

    @AfterEach
    void stopUpstreams() {
        stable.close();
        candidate.close();
    }

    private RouterConfig.Builder config() {
        return RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(2)
                .variant("stable", stable.url()).variant("candidate", candidate.url());
    }

    @Test
    void forwardsTheAnswerUnchangedWithTheClientsRequestId() {
        try (Router router = Router.start(config().build())) {
            HttpResponse<String> response = Http.post(router.uri(), "/invocations", BODY, Map.of("X-Request-Id", "client-id-1"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"predictions\": [0.25, 0.25]}");
            assertThat(response.headers().firstValue("X-Request-Id")).hasValue("client-id-1");
            assertThat(stable.requestIds()).containsExactly("client-id-1");

            HttpResponse<String> fresh = Http.post(router.uri(), "/invocations", BODY, Map.of());
            String generated = fresh.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(generated).matches("[0-9a-f-]{36}");
            assertThat(stable.requestIds()).last().isEqualTo(generated);
        }
    }

    @Test
    void splitsTrafficByWeightAndSwitchesAtOnce() {
        try (Router router = Router.start(config().weight("stable", 70).weight("candidate", 30).build())) {
            for (int i = 0; i < 400; i++) {
                Http.post(router.uri(), "/invocations", BODY, Map.of());
            }
            // Binomial(400, 0.3): mean 120, sd 9.2; 5 sd either side.
            assertThat(candidate.requests()).isBetween(74, 166);
            assertThat(stable.requests() + candidate.requests()).isEqualTo(400);

            router.setWeights(Map.of("stable", 0, "candidate", 100));
            int before = candidate.requests();
            for (int i = 0; i < 50; i++) {
                assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of()).headers().firstValue("X-Mlops-Variant"))
                        .hasValue("candidate");
            }
            assertThat(candidate.requests() - before).isEqualTo(50);
        }
    }

    @Test
    void stickyKeysKeepAUserOnOneVariant() {
        try (Router router = Router.start(config().weight("stable", 50).weight("candidate", 50)
                .stickiness(Stickiness.header("X-User")).build())) {
            Set<String> seen = new TreeSet<>();
            for (int user = 0; user < 40; user++) {
                Set<String> variants = new TreeSet<>();
                for (int i = 0; i < 5; i++) {
                    variants.add(Http.post(router.uri(), "/invocations", BODY, Map.of("X-User", "user-" + user))
                            .headers().firstValue("X-Mlops-Variant").orElseThrow());
                }
                assertThat(variants).as("user-" + user).hasSize(1);
                seen.addAll(variants);
            }
            assertThat(seen).containsExactly("candidate", "stable");
        }
    }

    @Test
    void aMatchingHeaderRouteWinsOverTheWeights() {
        try (Router router = Router.start(config().route(HeaderRoute.parse("X-Arm:b=candidate")).build())) {
            assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of("X-Arm", "b")).body()).contains("0.75");
            assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of("X-Arm", "a")).body()).contains("0.25");
        }
    }

    @Test
    void aDeadVariantsRequestsGoToStableAndCountAsItsErrors() {
        try (Router router = Router.start(config().weight("stable", 0).weight("candidate", 100).build())) {
            Instant from = Instant.now();
            candidate.close();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = Http.post(router.uri(), "/invocations", BODY, Map.of());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("0.25");
            }
            VariantWindow window = router.observe("candidate", from, Instant.now().plusSeconds(1));
            assertThat(window.requests()).isEqualTo(20);
            assertThat(window.errors()).isEqualTo(20);
            assertThat(router.observe("stable", from, Instant.now().plusSeconds(1)).requests()).isEqualTo(20);
        }
    }

    @Test
    void aVariantAnswering5xxReachesTheClientAndCountsAsAnError() {
        candidate.mode(FaultyServer.Mode.ERROR);
        try (Router router = Router.start(config().weight("stable", 0).weight("candidate", 100).build())) {
            Instant from = Instant.now();
            HttpResponse<String> response = Http.post(router.uri(), "/invocations", BODY, Map.of());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("INJECTED");
            VariantWindow window = router.observe("candidate", from, Instant.now().plusSeconds(1));
            assertThat(window.errors()).isEqualTo(1);
            assertThat(router.scrape()).contains("mlops_router_requests_total{status=\"5xx\",variant=\"candidate\"} 1.0");
        }
    }

    @Test
    void observeReportsCountsLatenciesAndPredictionsOfTheWindow() {
        try (EmbeddedTrafficBackend backend = new EmbeddedTrafficBackend(Router.start(config().build()))) {
            backend.setCandidateWeight(100);
            assertThat(backend.candidateWeight()).isEqualTo(100);
            Instant from = Instant.now();
            for (int i = 0; i < 10; i++) {
                Http.post(backend.router().uri(), "/invocations", BODY, Map.of());
            }
            Instant to = Instant.now().plusMillis(1);
            VariantWindow window = backend.observe(TrafficBackend.CANDIDATE, from, to);
            assertThat(window.requests()).isEqualTo(10);
            assertThat(window.errors()).isZero();
            assertThat(window.latenciesMs()).hasSize(10);
            assertThat(java.util.Arrays.stream(window.latenciesMs()).min().orElseThrow()).isPositive();
            assertThat(window.predictions()).hasSize(20).containsOnly(0.75);
            assertThat(backend.observe(TrafficBackend.CANDIDATE, to.plusSeconds(5), to.plusSeconds(10)).requests()).isZero();
            assertThat(backend.describe()).startsWith("embedded router on 127.0.0.1:");
        }
    }

    @Test
    void metricsArePrometheusTextPerVariant() {
        try (Router router = Router.start(config().weight("stable", 50).weight("candidate", 50).build())) {
            for (int i = 0; i < 20; i++) {
                Http.post(router.uri(), "/invocations", BODY, Map.of());
            }
            HttpResponse<String> metrics = Http.get(router.uri(), "/metrics", Map.of());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("mlops_router_request_duration_seconds_bucket{variant=\"stable\",le=")
                    .contains("mlops_router_weight_percent{variant=\"candidate\"} 50.0")
                    .contains("mlops_router_requests_total{status=\"2xx\",variant=\"stable\"}");
        }
    }

    @Test
    void theAdminApiIsOffWithoutAToken() {
        try (Router router = Router.start(config().build())) {
            HttpResponse<String> response = Http.get(router.uri(), "/admin/weights", Map.of());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("admin API is off");
        }
    }

    @Test
    void adminCallsWithoutTheRightTokenOrWithBadWeightsChangeNothing() {
        try (Router router = Router.start(config().adminToken(TOKEN).stateFile(dir.resolve("state.json")).build())) {
            String good = "{\"weights\": {\"stable\": 60, \"candidate\": 40}}";
            assertThat(Http.put(router.uri(), "/admin/weights", good, Map.of()).statusCode()).isEqualTo(401);
            assertThat(Http.put(router.uri(), "/admin/weights", good, Map.of("Authorization", "Bearer wrong")).statusCode())
                    .isEqualTo(401);
            Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
            Map<String, String> malformed = new HashMap<>();
            malformed.put("{not json", "not JSON");
            malformed.put("[1, 2]", "admin: send");
            malformed.put("{\"weights\": {\"stable\": 50.5, \"candidate\": 49.5}}", "not a whole percent");
            Map<String, String> unfit = new HashMap<>();
            unfit.put("{\"weights\": {\"stable\": 60, \"candidate\": 30}}", "sum to 90");
            unfit.put("{\"weights\": {\"stable\": 50, \"nosuch\": 50}}", "unknown variant 'nosuch'");
            unfit.put("{\"weights\": {\"stable\": 150, \"candidate\": -50}}", "not a percent in 0..100");
            Map.of(400, malformed, 422, unfit).forEach((status, bodies) -> bodies.forEach((body, message) -> {
                HttpResponse<String> response = Http.put(router.uri(), "/admin/weights", body, auth);
                assertThat(response.statusCode()).as(body).isEqualTo(status);
                assertThat(response.body()).as(body).contains(message);
            }));
            assertThat(router.weights()).isEqualTo(Map.of("stable", 100, "candidate", 0));

            HttpResponse<String> changed = Http.put(router.uri(), "/admin/weights", good, auth);
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.body()).contains("\"candidate\":40");
            assertThat(Http.get(router.uri(), "/admin/weights", auth).body()).contains("\"stable\":60");
            assertThat(router.weights()).isEqualTo(Map.of("stable", 60, "candidate", 40));
        }
    }

    @Test
    void aRestartedRouterResumesAtItsWeights() {
        Path state = dir.resolve("router-state.json");
        try (EmbeddedTrafficBackend backend = new EmbeddedTrafficBackend(Router.start(config().stateFile(state).build()))) {
            backend.setCandidateWeight(25);
        }
        try (EmbeddedTrafficBackend backend = new EmbeddedTrafficBackend(Router.start(config().stateFile(state).build()))) {
            assertThat(backend.candidateWeight()).isEqualTo(25);
            assertThat(backend.router().weights()).containsEntry("stable", 75);
        }
    }

    @Test
    void aBrokenStateFileIsBadInputNamingTheFile() throws Exception {
        Path state = dir.resolve("router-state.json");
        Files.writeString(state, "{\"weights\": {\"stable\": 90, \"ghost\": 10}}");
        assertThatThrownBy(() -> Router.start(config().stateFile(state).build()))
                .isInstanceOf(BadInputException.class).hasMessageContaining(state.toString()).hasMessageContaining("ghost");
        Files.writeString(state, "{\"weights\": ");
        assertThatThrownBy(() -> Router.start(config().stateFile(state).build()))
                .isInstanceOf(BadInputException.class).hasMessageContaining(state.toString());
    }

    @Test
    void badConfigsAreRefusedWithTheField() {
        assertThatThrownBy(() -> config().weight("stable", 80).weight("candidate", 30).build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("sum to 110");
        assertThatThrownBy(() -> RouterConfig.builder().variant("a", "ftp://x").build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("not an http(s)");
        assertThatThrownBy(() -> config().route(HeaderRoute.parse("X-Arm:b=nosuch")).build())
                .isInstanceOf(BadInputException.class).hasMessageContaining("unknown variant 'nosuch'");
        assertThatThrownBy(() -> HeaderRoute.parse("no-colon")).isInstanceOf(BadInputException.class);
        assertThat(config().adminToken(TOKEN).build().toString()).doesNotContain(TOKEN);
    }

    @Test
    void logsEveryExchangeAndTakesFeedbackInSqlite() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("predictions.db");
        try (Router router = Router.start(config().log(url).payloadMode(PayloadMode.HASHED).build())) {
            HttpResponse<String> answer = Http.post(router.uri(), "/invocations", BODY, Map.of("X-Request-Id", "r-1"));
            assertThat(answer.statusCode()).isEqualTo(200);
            HttpResponse<String> feedback = Http.post(router.uri(), "/feedback", "{\"request_id\": \"r-1\", \"outcome\": 1}", Map.of());
            assertThat(feedback.statusCode()).isEqualTo(202);
            assertThat(Http.post(router.uri(), "/feedback", "{\"request_id\": \"r-2\", \"outcome\": \"churned\"}", Map.of())
                    .statusCode()).isEqualTo(202);
            HttpResponse<String> again = Http.post(router.uri(), "/feedback", "{\"request_id\": \"r-1\", \"outcome\": 0}", Map.of());
            assertThat(again.statusCode()).as("a second feedback for r-1").isEqualTo(409);
            assertThat(again.body()).contains("already has feedback");
            for (String malformed : new String[] {"", "{", "[]", "{\"outcome\": 1}", "{\"request_id\": \"\", \"outcome\": 1}",
                    "{\"request_id\": 7, \"outcome\": 1}", "{\"request_id\": \"r-1\"}", "{\"request_id\": \"r-1\", \"outcome\": null}",
                    "{\"request_id\": \"r-1\", \"outcome\": {\"a\": 1}}", "{\"request_id\": \"" + "x".repeat(300) + "\", \"outcome\": 1}",
                    "{\"request_id\": \"r-3\", \"outcome\": 1} {\"request_id\": \"r-4\", \"outcome\": 1}",
                    "{\"request_id\": \"r-3\", \"outcome\": 1} trailing", "{\"request_id\": \"r-3\\u0000\", \"outcome\": 1}",
                    "{\"request_id\": \"r-3\\n\", \"outcome\": 1}", "{\"request_id\": \"r\\u001b[2J\", \"outcome\": 1}"}) {
                HttpResponse<String> refused = Http.post(router.uri(), "/feedback", malformed, Map.of());
                assertThat(refused.statusCode()).as(malformed).isEqualTo(400);
                assertThat(refused.body()).as(malformed).contains("\"error\":\"feedback: ");
            }
            assertThat(Http.post(router.uri(), "/feedback", "{\"request_id\": \"r\", \"outcome\": 1, \"pad\": \""
                    + "x".repeat(70_000) + "\"}", Map.of()).statusCode()).isEqualTo(413);
            assertThat(Http.get(router.uri(), "/feedback", Map.of()).statusCode()).isEqualTo(405);
            assertThat(router.awaitQuiet(Duration.ofSeconds(5))).isTrue();
            assertThat(router.awaitLogWritten(Duration.ofSeconds(10))).isTrue();
        }
        try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement()) {
            try (ResultSet row = sql.executeQuery("SELECT request_id, variant, status, latency_ms, request, response, prediction,"
                    + " mirrored FROM mlops_predictions")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString("request_id")).isEqualTo("r-1");
                assertThat(row.getString("variant")).isEqualTo("stable");
                assertThat(row.getInt("status")).isEqualTo(200);
                assertThat(row.getDouble("latency_ms")).isPositive();
                assertThat(row.getString("request")).matches("sha256:[0-9a-f]{64}");
                assertThat(row.getString("response")).isEqualTo("{\"predictions\": [0.25, 0.25]}");
                assertThat(row.getDouble("prediction")).isEqualTo(0.25);
                assertThat(row.getBoolean("mirrored")).isFalse();
                assertThat(row.next()).isFalse();
            }
            assertThat(count(sql, "SELECT count(*) FROM mlops_feedback WHERE request_id = 'r-1' AND outcome = 1")).isEqualTo(1);
            assertThat(count(sql, "SELECT count(*) FROM mlops_feedback WHERE request_id = 'r-2' AND label = 'churned'")).isEqualTo(1);
            assertThat(count(sql, "SELECT count(*) FROM mlops_feedback")).isEqualTo(2);
        }
    }

    @Test
    void mirrorsACopyAndLogsTheShadowsAnswer() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("predictions.db");
        try (FaultyServer shadow = FaultyServer.start(0.5);
                Router router = Router.start(config().log(url).mirror(java.net.URI.create(shadow.url())).build())) {
            for (int i = 0; i < 10; i++) {
                assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of("X-Request-Id", "m-" + i)).body()).contains("0.25");
            }
            assertThat(router.awaitQuiet(Duration.ofSeconds(10))).isTrue();
            assertThat(router.awaitLogWritten(Duration.ofSeconds(10))).isTrue();
            assertThat(shadow.requestIds()).containsExactlyInAnyOrder("m-0", "m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7",
                    "m-8", "m-9");
            assertThat(router.mirrorStats().sent()).isEqualTo(10);
            assertThat(router.mirrorStats().dropped()).isZero();
        }
        try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement()) {
            assertThat(count(sql, "SELECT count(*) FROM mlops_predictions WHERE mirrored AND variant = 'shadow' AND prediction = 0.5"))
                    .isEqualTo(10);
            assertThat(count(sql, "SELECT count(*) FROM mlops_predictions p JOIN mlops_predictions s ON p.request_id = s.request_id"
                    + " AND NOT p.mirrored AND s.mirrored")).isEqualTo(10);
        }
    }

    static long count(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** A step that started its own router ends gracefully: the request in flight when it closes the backend is answered. */
    @Test
    void theRequestInFlightWhenAStepClosesItsRouterIsAnswered() throws Exception {
        stable.delay(1_500);
        EmbeddedTrafficBackend backend = new EmbeddedTrafficBackend(Router.start(config().build()));
        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(backend.router().uri().resolve("/invocations")).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stable.requests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(stable.requests()).as("the request reached the model").isEqualTo(1);

        backend.close();

        HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("0.25");
    }
}
