package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Secrets that reach mlops through a training command line and come back in the script's own
 * log: masked in the console, the JSON, the HTML and the JUnit XML alike.
 */
class SecretsNeverShownTest {
    @TempDir
    Path dir;

    @Test
    void aTokenInAShellScriptAndAnEnvAssignmentNeverShowsInOutputOrReports() throws IOException {
        String token = "hf-" + UUID.randomUUID();
        String envToken = "env-" + UUID.randomUUID();
        Path data = Files.writeString(dir.resolve("train.csv"), "x,y\n1,0\n2,1\n3,0\n");
        Path reports = dir.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int code = commandLine.execute("smoke-train", "--data", data.toString(), "--timeout", "30s", "--report",
                reports.toString(), "--json", "--", "env", "HF_TOKEN=" + envToken, "sh", "-c",
                "echo hub login --token " + token + "; echo the token was " + token + " and $HF_TOKEN; exit 3");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains("--token ****", "the token was **** and ****");
        String base64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        StringBuilder everything = new StringBuilder(out.toString()).append(err);
        try (Stream<Path> files = Files.walk(reports)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                everything.append(Files.readString(file));
            }
        }
        assertThat(everything).doesNotContain(token).doesNotContain(envToken).doesNotContain(base64);
        assertThat(Files.readString(reports.resolve("smoke.html"))).contains("****");
    }
}
