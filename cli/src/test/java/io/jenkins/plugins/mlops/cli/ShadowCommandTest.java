package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.deploy.FaultyServer;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mlops shadow} and {@code mlops router} as a user runs them: exit codes, reports, bad input.
 * The real-model runs are core's ShadowWithMlflowTest; here small servers make each verdict certain.
 */
class ShadowCommandTest {
    private static final String BODY = "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0], [2.0]]}}";

    @TempDir
    Path dir;

    private FaultyServer primary;
    private String out;
    private String err;

    @BeforeEach
    void servers() throws IOException {
        primary = FaultyServer.start(0.25);
        Files.writeString(dir.resolve("requests.jsonl"), (BODY + "\n").repeat(20));
    }

    @AfterEach
    void stop() {
        primary.close();
    }

    @Test
    void anAgreeingShadowPassesAndWritesTheReports() throws IOException {
        try (FaultyServer shadow = FaultyServer.start(0.25)) {
            int code = run("shadow", "--primary", primary.url(), "--shadow", shadow.url(), "--listen", "127.0.0.1:0",
                    "--replay", dir.resolve("requests.jsonl").toString(), "--log", "jdbc:sqlite:" + dir.resolve("log.db"),
                    "--report", dir.resolve("report").toString());
            assertThat(code).as(err).isEqualTo(ExitCodes.PASSED);
        }
        JsonNode report = Json.mapper().readTree(dir.resolve("report/shadow.json").toFile());
        assertThat(report.path("schema").asText()).isEqualTo("mlops.shadow/v1");
        assertThat(report.path("step").asText()).isEqualTo("shadowDeploy");
        assertThat(report.path("requests").asLong()).isEqualTo(20);
        assertThat(report.path("rows").asLong()).isEqualTo(40);
        assertThat(report.path("agreement").asDouble()).isEqualTo(1.0);
        assertThat(report.path("log").path("written").asLong()).isEqualTo(40);
        assertThat(Files.readString(dir.resolve("report/shadow.html"))).contains("<svg").doesNotContain("<script");
        assertThat(dir.resolve("report/shadow-junit.xml")).exists();
        assertThat(out).contains("PASS");
    }

    @Test
    void aDisagreeingShadowFailsWithExitOne() throws IOException {
        try (FaultyServer shadow = FaultyServer.start(0.75)) {
            int code = run("shadow", "--primary", primary.url(), "--shadow", shadow.url(), "--listen", "127.0.0.1:0",
                    "--replay", dir.resolve("requests.jsonl").toString(), "--log", "none", "--json");
            assertThat(code).as(err).isEqualTo(ExitCodes.FAILED);
            JsonNode result = Json.mapper().readTree(out);
            assertThat(result.path("agreement").asDouble()).isZero();
            assertThat(result.path("max_difference").asDouble()).isEqualTo(0.5);
        }
    }

    @Test
    void aFailingShadowFailsOnItsErrorRate() throws IOException {
        try (FaultyServer shadow = FaultyServer.start(0.25).mode(FaultyServer.Mode.ERROR)) {
            int code = run("shadow", "--primary", primary.url(), "--shadow", shadow.url(), "--listen", "127.0.0.1:0",
                    "--replay", dir.resolve("requests.jsonl").toString(), "--log", "none", "--json");
            assertThat(code).as(err).isEqualTo(ExitCodes.FAILED);
            assertThat(out).contains("\"shadow_errors\" : 20");
        }
    }

    @Test
    void badInputExitsTwoNamingTheProblem() throws IOException {
        assertThat(run("shadow", "--primary", primary.url(), "--shadow", primary.url(), "--listen", "127.0.0.1:0",
                "--replay", dir.resolve("missing.jsonl").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("missing.jsonl");
        Files.writeString(dir.resolve("bad.jsonl"), BODY + "\n{oops\n");
        assertThat(run("shadow", "--primary", primary.url(), "--shadow", primary.url(), "--listen", "127.0.0.1:0",
                "--replay", dir.resolve("bad.jsonl").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("bad.jsonl:2");
        assertThat(run("shadow", "--primary", primary.url(), "--shadow", primary.url())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("--requests");
        assertThat(run("shadow", "--primary", primary.url(), "--shadow", primary.url(), "--requests", "5",
                "--max-disagreement", "2")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("--max-disagreement");
        assertThat(run("shadow", "--primary", primary.url(), "--shadow", primary.url(), "--requests", "5",
                "--log", "jdbc:mysql://x/y")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("jdbc:sqlite:FILE");
        assertThat(run("router", "--variant", "stable=" + primary.url(), "--weight", "stable=90")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("sum to 90");
        assertThat(run("router", "--variant", "stable=" + primary.url(), "--route", "nonsense")).isEqualTo(ExitCodes.BAD_INPUT);
        for (String[] bad : new String[][] {{"--header-timeout", "0s"}, {"--body-timeout", "0"}, {"--idle-timeout", "0ms"},
                {"--max-connections", "0"}, {"--grace-period", "-1s"}}) {
            assertThat(run("router", "--variant", "stable=" + primary.url(), bad[0], bad[1])).as(bad[0]).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err).as(bad[0]).contains(bad[0]);
        }
    }

    @Test
    void anUnreachableLogDatabaseIsAnInfrastructureFailure() {
        assertThat(run("shadow", "--primary", primary.url(), "--shadow", primary.url(), "--requests", "5", "--listen",
                "127.0.0.1:0", "--log", "jdbc:postgresql://127.0.0.1:1/none?user=x&password=hunter2"))
                .isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(err).contains("cannot open").doesNotContain("hunter2");
    }

    private int run(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(stdout));
        commandLine.setErr(new PrintWriter(stderr));
        int code = commandLine.execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return code;
    }
}
