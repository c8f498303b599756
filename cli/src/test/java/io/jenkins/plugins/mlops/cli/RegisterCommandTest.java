package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.registry.GateReports;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops register} and {@code mlops models} end to end over the local registry, in process. */
class RegisterCommandTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private String registry;
    private String out;
    private String err;

    @BeforeEach
    void model() throws IOException {
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("model/MLmodel"), "flavors: {}\n");
        Files.createDirectories(dir.resolve("model-b"));
        Files.writeString(dir.resolve("model-b/MLmodel"), "flavors: {b: 1}\n");
        Files.writeString(dir.resolve("gate.json"), GateReports.json("PASS", "[{\"name\": \"auc\", \"candidate\": 0.93}]"));
        registry = "file:" + dir.resolve("registry");
    }

    @Test
    void registerWritesTheReportsAndJsonCarriesTheVersion() throws IOException {
        int code = run("register", "--registry", registry, "--name", "churn", "--model", dir.resolve("model").toString(),
                "--gate-report", dir.resolve("gate.json").toString(), "--git-commit", COMMIT, "--build-url", "https://ci/job/7/",
                "--tag", "team=churn", "--alias", "staging", "--alias", "candidate", "--report", dir.resolve("reports").toString(),
                "--json");

        assertThat(code).as(err).isEqualTo(ExitCodes.PASSED);
        JsonNode printed = Json.mapper().readTree(out);
        assertThat(printed.path("name").asText()).isEqualTo("churn");
        assertThat(printed.path("version").asInt()).isEqualTo(1);
        assertThat(printed.path("aliases").toString()).isEqualTo("[\"candidate\",\"staging\"]");
        assertThat(printed.path("source").asText()).startsWith("file:").endsWith("/models/churn/versions/1/model");
        assertThat(printed.path("tags").path("mlops.gate.auc").asText()).isEqualTo("0.93");
        assertThat(printed.path("tags").path("team").asText()).isEqualTo("churn");
        assertThat(printed.path("tags").path("mlops.git_commit").asText()).isEqualTo(COMMIT);

        JsonNode report = Json.mapper().readTree(dir.resolve("reports/register.json").toFile());
        assertThat(report.path("schema").asText()).isEqualTo("mlops.register/v1");
        assertThat(report.path("version").asInt()).isEqualTo(1);
        String html = Files.readString(dir.resolve("reports/register.html"));
        assertThat(html).contains("Model version", "mlops.gate_decision", "candidate, staging")
                .doesNotContain("<script", "style=");
        assertThat(dir.resolve("reports/register-junit.xml")).exists();
    }

    @Test
    void modelsGetPromoteAndListWorkOnRegisteredVersions() throws IOException {
        assertThat(run("register", "--registry", registry, "--name", "churn", "--model", dir.resolve("model").toString(),
                "--git-commit", COMMIT, "-q")).isZero();
        assertThat(run("register", "--registry", registry, "--name", "churn", "--model", dir.resolve("model-b").toString(),
                "--git-commit", COMMIT, "--alias", "", "-q")).isZero();

        assertThat(run("models", "get", "--registry", registry, "--name", "churn", "--alias", "staging")).isZero();
        assertThat(Json.mapper().readTree(out).path("version").asInt()).isEqualTo(1);

        assertThat(run("models", "promote", "--registry", registry, "--name", "churn", "--version", "2", "--alias", "champion")).isZero();
        JsonNode promoted = Json.mapper().readTree(out);
        assertThat(promoted.path("version").asInt()).isEqualTo(2);
        assertThat(promoted.path("aliases").toString()).isEqualTo("[\"champion\"]");

        assertThat(run("models", "get", "--registry", registry, "--name", "churn", "--version", "2")).isZero();
        assertThat(Json.mapper().readTree(out).path("tags").path("mlops.git_commit").asText()).isEqualTo(COMMIT);

        assertThat(run("models", "list", "--registry", registry, "--name", "churn")).isZero();
        assertThat(out.lines().toList()).hasSize(3);
        assertThat(out.lines().toList().get(1)).startsWith("1").contains("staging");
        assertThat(out.lines().toList().get(2)).startsWith("2").contains("champion");

        assertThat(run("models", "list", "--registry", registry, "--name", "churn", "--json")).isZero();
        assertThat(Json.mapper().readTree(out).size()).isEqualTo(2);
    }

    @Test
    void unknownModelsVersionsAndAliasesExit2() {
        assertThat(run("register", "--registry", registry, "--name", "churn", "--model", dir.resolve("model").toString(), "-q")).isZero();

        assertThat(run("models", "get", "--registry", registry, "--name", "churn", "--alias", "champion")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("no alias 'champion'");
        assertThat(run("models", "get", "--registry", registry, "--name", "nope", "--version", "1")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("models", "promote", "--registry", registry, "--name", "churn", "--version", "9", "--alias", "champion"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("models", "get", "--registry", registry, "--name", "churn")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("--alias", "--version");
    }

    @Test
    void aRejectingGateExits1AndRegistersNothing() throws IOException {
        Files.writeString(dir.resolve("gate.json"), GateReports.json("FAIL", "[]"));

        int code = run("register", "--registry", registry, "--name", "churn", "--model", dir.resolve("model").toString(),
                "--gate-report", dir.resolve("gate.json").toString(), "--report", dir.resolve("reports").toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(out).contains("Not registered", "gate decided FAIL");
        assertThat(dir.resolve("registry")).doesNotExist();
        assertThat(Json.mapper().readTree(dir.resolve("reports/register.json").toFile()).path("version").isNull()).isTrue();
    }

    @Test
    void badInputExits2AndWritesNothing() throws IOException {
        Files.writeString(dir.resolve("broken.json"), "{\"decision\": ");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"--model", dir.resolve("missing").toString()});
        cases.add(new String[] {"--model", dir.resolve("model").toString(), "--gate-report", dir.resolve("broken.json").toString()});
        cases.add(new String[] {"--model", dir.resolve("model").toString(), "--tag", "mlops.version=9"});
        cases.add(new String[] {"--model", dir.resolve("model").toString(), "--alias", "latest"});
        cases.add(new String[] {"--model", dir.resolve("model").toString(), "--validation-report", "a.json", "--data-profile", "b.json"});
        for (String[] extra : cases) {
            List<String> args = new ArrayList<>(List.of("register", "--registry", registry, "--name", "churn",
                    "--report", dir.resolve("reports").toString()));
            args.addAll(List.of(extra));

            assertThat(run(args.toArray(String[]::new))).as(String.join(" ", extra) + ": " + err).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err).contains("mlops: bad input: ");
        }
        assertThat(dir.resolve("registry")).doesNotExist();
        assertThat(dir.resolve("reports")).doesNotExist();
    }

    @Test
    void anUnreachableMlflowServerExits3AfterTheTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        int code = run("models", "list", "--registry", "http://127.0.0.1:" + closedPort, "--name", "churn", "--timeout", "1");

        assertThat(code).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(err).contains("mlops: error: MLflow at http://127.0.0.1:" + closedPort, "ConnectException");
    }

    @Test
    void aTokenInTheRegistryUrlOrAnOptionIsNeverPrinted() {
        int query = run("models", "list", "--registry", "http://127.0.0.1:9/?access_token=q-" + COMMIT, "--name", "churn");
        assertThat(err).contains("access_token=****").doesNotContain("q-" + COMMIT);
        int usage = run("models", "list", "--registry", registry, "--name", "churn", "--token=u-" + COMMIT);

        assertThat(query).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(usage).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("--token=****").doesNotContain("u-" + COMMIT);
    }

    private int run(String... args) {
        InProcess run = InProcess.mlops(args);
        out = run.out();
        err = run.err();
        return run.code();
    }
}
