package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.registry.MlflowServer;
import io.jenkins.plugins.mlops.registry.GateReports;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a Jenkins build runs it: a separate process whose environment holds the
 * MLflow URI and credentials, against a real MLflow server with the basic-auth app. Everything
 * the commands print and write is searched for the password.
 */
class RegisterAgainstMlflowTest {
    private static final String PASSWORD = "adm1n-" + UUID.randomUUID();

    @TempDir
    static Path serverDir;

    static MlflowServer server;

    @TempDir
    Path dir;

    private final StringBuilder everythingPrinted = new StringBuilder();

    @BeforeAll
    static void startServer() {
        server = MlflowServer.startWithBasicAuth(serverDir, "admin", PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void registersPromotesAndReadsBackWithCredentialsThatNeverShow() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");
        Files.writeString(dir.resolve("gate.json"), GateReports.json("PASS", "[{\"name\": \"auc\", \"candidate\": 0.9}]"));
        Map<String, String> env = environment(PASSWORD);

        Result registered = mlops(env, "register", "--name", "churn", "--model", "model", "--gate-report", "gate.json",
                "--report", "reports", "--json");
        Result again = mlops(env, "register", "--name", "churn", "--model", "model", "--gate-report", "gate.json", "--json");
        Result staging = mlops(env, "models", "get", "--name", "churn", "--alias", "staging");
        Result promoted = mlops(env, "models", "promote", "--name", "churn", "--version", "1", "--alias", "champion");
        Result listed = mlops(env, "models", "list", "--name", "churn");

        assertThat(registered.code()).as(registered.err()).isZero();
        JsonNode version = Json.mapper().readTree(registered.out());
        assertThat(version.path("version").asInt()).isEqualTo(1);
        assertThat(version.path("source").asText()).startsWith("runs:/").endsWith("/model");
        assertThat(version.path("registry").asText()).isEqualTo(server.uri());
        assertThat(version.path("tags").path("mlops.build_url").asText()).isEqualTo("https://jenkins.example.com/job/churn/42/");
        assertThat(version.path("tags").path("mlops.gate.auc").asText()).isEqualTo("0.9");
        assertThat(again.code()).isZero();
        assertThat(Json.mapper().readTree(again.out()).path("created").asBoolean()).isFalse();
        assertThat(Json.mapper().readTree(again.out()).path("version").asInt()).isEqualTo(1);
        assertThat(Json.mapper().readTree(staging.out()).path("version").asInt()).isEqualTo(1);
        assertThat(Json.mapper().readTree(promoted.out()).path("aliases").toString()).isEqualTo("[\"champion\",\"staging\"]");
        assertThat(listed.code()).isZero();
        assertThat(listed.out()).contains("champion,staging");
        assertNoSecretAnywhere(PASSWORD);
    }

    @Test
    void aWrongPasswordIsAClearErrorThatExits3AndNeverShowsThePassword() throws Exception {
        String wrong = "wr0ng-" + UUID.randomUUID();
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");

        Result listed = mlops(environment(wrong), "models", "list", "--name", "churn");
        Result registered = mlops(environment(wrong), "register", "--name", "churn", "--model", "model", "--report", "reports");

        assertThat(listed.code()).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(listed.err()).contains("refused", "for user 'admin'", "HTTP 401", "not authenticated");
        assertThat(registered.code()).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertNoSecretAnywhere(wrong);
    }

    private Map<String, String> environment(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("MLFLOW_TRACKING_URI", server.uri());
        env.put("MLFLOW_TRACKING_USERNAME", "admin");
        env.put("MLFLOW_TRACKING_PASSWORD", password);
        env.put("BUILD_URL", "https://jenkins.example.com/job/churn/42/");
        env.put("GIT_COMMIT", "fedcba9876543210fedcba9876543210fedcba98");
        env.put("MLOPS_TIMEOUT", "30");
        return env;
    }

    private void assertNoSecretAnywhere(String secret) throws IOException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + secret).getBytes(StandardCharsets.UTF_8));
        assertThat(everythingPrinted.toString()).doesNotContain(secret).doesNotContain(basic);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(secret).doesNotContain(basic);
            }
        }
    }

    private Result mlops(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                MlopsCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        Path stdout = Files.createTempFile("mlops", ".out");
        Path stderr = Files.createTempFile("mlops", ".err");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("mlops " + String.join(" ", args) + " finished").isTrue();
        Result result = new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        Files.delete(stdout);
        Files.delete(stderr);
        everythingPrinted.append(result.out()).append(result.err());
        return result;
    }

    private record Result(int code, String out, String err) {}
}
