package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.FaultyServer;
import io.jenkins.plugins.mlops.deploy.ModelServer;
import io.jenkins.plugins.mlops.deploy.traffic.RequestBodies;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mlops ab} end to end: two real MLflow scoring servers behind the router, a client that
 * posts each answer's outcome to /feedback (arm b converts twice as often), and the metric read
 * by SQL from the SQLite prediction log.
 */
class AbCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONVERSION = "converted:higher=SELECT f.outcome FROM mlops_predictions p "
            + "JOIN mlops_feedback f ON f.request_id = p.request_id "
            + "WHERE p.variant = :variant AND p.received_at >= :from AND p.received_at < :to";
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void reportsBothArmsAndTheDifferenceOfEachMetricWithItsInterval() throws Exception {
        ModelServer.saveModels(dir);
        try (ModelServer a = ModelServer.serve(dir.resolve("primary")); ModelServer b = ModelServer.serve(dir.resolve("shadow"))) {
            String listen = "127.0.0.1:" + TestProcesses.freePort();
            Path reports = dir.resolve("reports");
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> ab("--a", a.url(), "--b", b.url(),
                    "--split", "50", "--requests", "400", "--max-duration", "120s", "--listen", listen,
                    "--log", "jdbc:sqlite:" + dir.resolve("log.db"), "--metric", CONVERSION, "--report", reports));
            Map<String, Boolean> acknowledged = clients(URI.create("http://" + listen),
                    RequestBodies.read(dir.resolve("requests.jsonl"), "test"), run);
            int code = run.get(150, TimeUnit.SECONDS);
            assertThat(code).as(err.toString()).isEqualTo(ExitCodes.PASSED);

            JsonNode result = JSON.readTree(reports.resolve("ab.json").toFile());
            // Exactly the first 400, though the client went on while the experiment closed its window.
            assertThat(result.path("arm_a").path("requests").asLong() + result.path("arm_b").path("requests").asLong())
                    .isEqualTo(400);
            JsonNode converted = comparison(result, "converted");
            // Every outcome of a request inside the experiment's window (its first 400 requests), none from
            // after it: counted on the requests themselves, however many the client managed per second.
            List<String> window = firstServedSince(Instant.parse(result.path("started").asText()), 400);
            long inWindow = window.stream().filter(id -> acknowledged.getOrDefault(id, false)).count();
            assertThat(converted.path("n_a").asLong() + converted.path("n_b").asLong()).isEqualTo(inWindow);
            // The client posts each outcome before its next request, so only the last one can miss the window.
            assertThat(inWindow).isGreaterThanOrEqualTo(399);
            assertThat(converted.path("a").asDouble()).isBetween(0.15, 0.45);
            assertThat(converted.path("b").asDouble()).isBetween(0.45, 0.75);
            assertThat(converted.path("low").asDouble()).isPositive();
            assertThat(converted.path("low").asDouble()).isLessThan(0.3);
            assertThat(converted.path("high").asDouble()).isGreaterThan(0.3);
            assertThat(converted.path("significant").asBoolean()).isTrue();
            assertThat(comparison(result, "error_rate").path("difference").asDouble()).isZero();
            assertThat(comparison(result, "latency_ms").path("low").isNumber()).isTrue();
            String html = Files.readString(reports.resolve("ab.html"), StandardCharsets.UTF_8);
            assertThat(html).contains("converted", "b − a").doesNotContain("<script", "style=");
        }
    }

    @Test
    void aReplayForFortyRequestsSendsAndJudgesExactlyForty() throws IOException {
        Path requests = Files.writeString(dir.resolve("requests.jsonl"), "{\"inputs\": [[1.0]]}\n{\"inputs\": [[2.0]]}\n");
        try (FaultyServer a = FaultyServer.start(0.2); FaultyServer b = FaultyServer.start(0.8)) {
            int code = ab("--a", a.url(), "--b", b.url(), "--requests", "40", "--max-duration", "120s",
                    "--listen", "127.0.0.1:0", "--log", "none", "--min-samples", "5", "--replay", requests,
                    "--replay-rate", "50", "--report", dir.resolve("r"));

            assertThat(code).as(err.toString()).isEqualTo(ExitCodes.PASSED);
            JsonNode result = JSON.readTree(dir.resolve("r/ab.json").toFile());
            assertThat(result.path("arm_a").path("requests").asLong() + result.path("arm_b").path("requests").asLong())
                    .isEqualTo(40);
            assertThat(a.requests() + b.requests()).isEqualTo(40);
        }
    }

    @Test
    void tooFewOutcomesFailClosedAndBadOptionsExit2() throws IOException {
        assertThat(ab("--a", "http://127.0.0.1:1", "--b", "http://127.0.0.1:2", "--split", "50")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("exactly one of --duration or --requests");
        assertThat(ab("--a", "http://127.0.0.1:1", "--b", "http://127.0.0.1:2", "--split", "100", "--duration", "1s"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--split");
        // No traffic at all for 2 s: nothing can be measured, the run fails closed.
        String listen = "127.0.0.1:" + TestProcesses.freePort();
        assertThat(ab("--a", "http://127.0.0.1:1", "--b", "http://127.0.0.1:2", "--duration", "2s", "--listen", listen,
                "--log", "jdbc:sqlite:" + dir.resolve("log.db"), "--metric", CONVERSION, "--report", dir.resolve("r")))
                .isEqualTo(ExitCodes.FAILED);
        JsonNode result = JSON.readTree(dir.resolve("r/ab.json").toFile());
        assertThat(comparison(result, "converted").path("note").asText()).contains("too few values");
    }

    /**
     * Sends requests one at a time until the experiment ends and posts an outcome for each answer:
     * 1 for 3 in 10 answers of arm a and 6 in 10 of arm b, in a fixed pattern per arm, so that any run
     * of consecutive answers converts at those rates and the interval's verdict does not depend on
     * which requests the router sent where. Returns each answered request id, in order, with whether
     * its outcome was acknowledged.
     */
    private static Map<String, Boolean> clients(URI router, List<String> bodies, CompletableFuture<Integer> run) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Boolean> acknowledged = new LinkedHashMap<>();
        Map<String, Integer> answersPerArm = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int i = 0;
        while (!run.isDone() && System.nanoTime() < deadline) {
            HttpResponse<String> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(router.resolve("/invocations")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i++ % bodies.size()))).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                Thread.sleep(100); // the router is not listening yet, or has just stopped
                continue;
            }
            String arm = answer.headers().firstValue("X-Mlops-Variant").orElse("");
            String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
            int nth = answersPerArm.merge(arm, 1, Integer::sum);
            int outcome = nth % 10 < (arm.equals("b") ? 6 : 3) ? 1 : 0;
            acknowledged.put(id, false);
            try {
                HttpResponse<String> ack = http.send(HttpRequest.newBuilder(router.resolve("/feedback"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\": \"" + id + "\", \"outcome\": " + outcome + "}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                acknowledged.put(id, ack.statusCode() / 100 == 2);
            } catch (IOException e) {
                break; // the experiment ended and its router stopped
            }
        }
        return acknowledged;
    }

    /** The ids of the first {@code n} requests the router logged from {@code started} on, read from its SQLite log. */
    private List<String> firstServedSince(Instant started, int n) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"));
                PreparedStatement query = connection.prepareStatement("SELECT request_id FROM mlops_predictions"
                        + " WHERE received_at >= ? ORDER BY received_at, rowid LIMIT ?")) {
            query.setLong(1, started.toEpochMilli());
            query.setInt(2, n);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            assertThat(ids).hasSize(n);
            return ids;
        }
    }

    private static JsonNode comparison(JsonNode result, String name) {
        for (JsonNode c : result.path("comparisons")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no comparison " + name + " in " + result);
    }

    private int ab(Object... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("ab"));
        for (Object arg : args) {
            all.add(String.valueOf(arg));
        }
        return commandLine.execute(all.toArray(String[]::new));
    }
}
