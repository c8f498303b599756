package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP behaviour that a healthy MLflow server cannot show on demand: 5xx, 429 with
 * Retry-After, refusals, and what goes into the Authorization header. A scripted stub answers.
 */
class MlflowRestClientTest {
    private static final String PASSWORD = "pa55-w0rd-never-shown";

    private HttpServer stub;
    private final Deque<int[]> script = new ArrayDeque<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private int requests;

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", this::answer);
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    /** Each scripted entry is {status, retryAfterSeconds or -1}; when empty, 200 with a JSON body. */
    private synchronized void answer(HttpExchange exchange) throws IOException {
        requests++;
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        int[] next = script.isEmpty() ? new int[] {200, -1} : script.poll();
        String body = switch (next[0]) {
            case 200 -> "{\"registered_model\":{\"name\":\"churn\"}}";
            case 400 -> "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Alias nope not found.\"}";
            case 401 -> "You are not authenticated.";
            // A proxy that quotes the request's credentials back, as some error pages do.
            case 403 -> "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"denied for Authorization: "
                    + exchange.getRequestHeaders().getFirst("Authorization") + "\"}";
            case 302 -> "";
            // MLflow over SQLite when two builds write at once: SQLAlchemy's text, statement and parameters included.
            case 502 -> "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"(sqlite3.OperationalError) database is locked\\n"
                    + "[SQL: INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)]\\n"
                    + "[parameters: ('mlops.build_url', 'https://ci/job/7/', 'churn', 2)]\\n"
                    + "(Background on this error at: https://sqlalche.me/e/20/e3q8)\"}";
            default -> "<html>upstream trouble</html>";
        };
        if (next[0] == 302) {
            exchange.getResponseHeaders().add("Location", "https://elsewhere.example.com/api/2.0/mlflow/registered-models/get");
        }
        if (next[1] >= 0) {
            exchange.getResponseHeaders().add("Retry-After", String.valueOf(next[1]));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(next[0], bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private MlflowRestClient client(RegistryCredentials credentials, Duration timeout) {
        return new MlflowRestClient(URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + "/"), credentials,
                timeout, progress::add);
    }

    @Test
    void serverErrorsAreRetriedUntilTheServerAnswers() {
        script.add(new int[] {503, -1});
        script.add(new int[] {500, -1});

        String name = client(RegistryCredentials.NONE, Duration.ofSeconds(20))
                .get("registered-models/get", Map.of("name", "churn")).path("registered_model").path("name").asText();

        assertThat(name).isEqualTo("churn");
        assertThat(requests).isEqualTo(3);
        assertThat(progress).hasSize(2).allMatch(line -> line.contains("retrying"));
        assertThat(progress.get(0)).contains("HTTP 503", "upstream trouble");
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterSays() {
        script.add(new int[] {429, 1});
        long start = System.nanoTime();

        client(RegistryCredentials.NONE, Duration.ofSeconds(20)).get("registered-models/get", Map.of("name", "churn"));

        assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(1.0);
        assertThat(requests).isEqualTo(2);
    }

    @Test
    void aRefusalIsNotRetriedAndCarriesMlflowsErrorCodeAndMessage() {
        script.add(new int[] {400, -1});

        assertThatThrownBy(() -> client(RegistryCredentials.NONE, Duration.ofSeconds(20))
                .get("registered-models/alias", Map.of("name", "churn", "alias", "nope")))
                .isInstanceOfSatisfying(MlflowApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
                    assertThat(e.getMessage()).contains("refused GET registered-models/alias",
                            "INVALID_PARAMETER_VALUE: Alias nope not found.");
                });
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void aCreateThatMustNotRepeatIsSentOnceEvenOnAServerError() {
        script.add(new int[] {503, -1});

        assertThatThrownBy(() -> client(RegistryCredentials.NONE, Duration.ofSeconds(20))
                .postOnce("model-versions/create", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()))
                .isInstanceOfSatisfying(MlflowApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void basicCredentialsAreSentButNeverShownWhenRefused() {
        script.add(new int[] {401, -1});
        RegistryCredentials credentials = new RegistryCredentials("token-ignored", "bob", PASSWORD, false);

        assertThatThrownBy(() -> client(credentials, Duration.ofSeconds(20)).get("registered-models/get", Map.of("name", "x")))
                .isInstanceOfSatisfying(MlflowApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("user 'bob'", "You are not authenticated").doesNotContain(PASSWORD);
                });
        String expected = "Basic " + Base64.getEncoder().encodeToString(("bob:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).containsExactly(expected);
        assertThat(credentials.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aRedirectIsNotFollowedSoCredentialsStayWithTheRegistry() {
        script.add(new int[] {302, -1});

        assertThatThrownBy(() -> client(new RegistryCredentials(null, "bob", PASSWORD, false), Duration.ofSeconds(5))
                .get("registered-models/get", Map.of("name", "churn")))
                .isInstanceOfSatisfying(MlflowApiException.class, e -> assertThat(e.getMessage())
                        .contains("redirects", "https://elsewhere.example.com/", "--registry").doesNotContain(PASSWORD));
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void aDatabaseErrorIsNamedWithoutTheSqlStatementOrItsParameters() {
        for (int i = 0; i < 20; i++) {
            script.add(new int[] {502, -1});
        }

        assertThatThrownBy(() -> client(RegistryCredentials.NONE, Duration.ofMillis(300)).get("registered-models/get", Map.of("name", "churn")))
                .isInstanceOf(MlflowApiException.class)
                .hasMessageContaining("the server's database failed: (sqlite3.OperationalError) database is locked")
                .hasMessageNotContaining("INSERT").hasMessageNotContaining("parameters").hasMessageNotContaining("https://ci/job/7/");
        assertThat(String.join("\n", progress)).doesNotContain("INSERT");
    }

    @Test
    void anErrorBodyThatQuotesTheCredentialsIsRedactedInEveryForm() {
        String token = "tok-" + java.util.UUID.randomUUID();
        script.add(new int[] {403, -1});
        script.add(new int[] {403, -1});

        assertThatThrownBy(() -> client(new RegistryCredentials(null, "ci-bot", PASSWORD, false), Duration.ofSeconds(5))
                .get("registered-models/get", Map.of("name", "churn")))
                .hasMessageContaining("HTTP 403 PERMISSION_DENIED: denied for Authorization: Basic ****")
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(("ci-bot:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> client(new RegistryCredentials(token, null, null, false), Duration.ofSeconds(5))
                .get("registered-models/get", Map.of("name", "churn")))
                .hasMessageContaining("denied for Authorization: Bearer ****").hasMessageNotContaining(token);
    }

    @Test
    void aTokenIsSentAsBearer() {
        client(RegistryCredentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "tok-123")), Duration.ofSeconds(5))
                .get("registered-models/get", Map.of("name", "churn"));

        assertThat(authorizations).containsExactly("Bearer tok-123");
    }

    @Test
    void anUnreachableServerFailsAfterTheDeadline() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        MlflowRestClient client = new MlflowRestClient(URI.create("http://127.0.0.1:" + closedPort), RegistryCredentials.NONE,
                Duration.ofSeconds(2), progress::add);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.get("registered-models/get", Map.of("name", "churn")))
                .isInstanceOfSatisfying(MlflowApiException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.getMessage()).contains("failed GET registered-models/get after", "ConnectException");
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        // It stops once less than the shortest useful attempt (0.1 s) is left.
        assertThat(seconds).isBetween(1.85, 15.0);
        assertThat(progress).isNotEmpty();
    }

    @Test
    void artifactPathsArePercentEncodedSegmentBySegment() {
        assertThat(MlflowRestClient.encodePath("1/run/artifacts/model/data/model weights+1.bin"))
                .isEqualTo("1/run/artifacts/model/data/model%20weights%2B1.bin");
    }
}
