package io.jenkins.plugins.mlops.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a secret reached a message in the hostile-input sweep, and the text that must survive. */
class RedactionTest {
    /** Unique per run: other tests in this JVM may have remembered secrets of their own. */
    private static final String TOKEN = "tok-" + UUID.randomUUID().toString().substring(0, 13);
    private static final String PASSWORD = "pw-" + UUID.randomUUID().toString().substring(0, 10);

    static Stream<Arguments> unknownSecretsInText() {
        return Stream.of(
                Arguments.of("MLflow error body quoting the header", "HTTP 400: invalid header Authorization: Bearer s3cr3t-bearer-77",
                        "s3cr3t-bearer-77", "Bearer ****"),
                Arguments.of("basic credentials as Base64", "echo: Basic " + base64("ci-bot:hunter2-xyz"),
                        base64("ci-bot:hunter2-xyz"), "Basic ****"),
                Arguments.of("token in a URL query", "GET https://mlflow.example.com/api?run=1&access_token=q-tok-9931&x=2 failed",
                        "q-tok-9931", "access_token=****&x=2"),
                Arguments.of("password in a URL", "cannot reach https://bob:pa55word@db.example.com/mlflow",
                        "pa55word", "https://bob:****@db.example.com"),
                Arguments.of("sh -c script with --token", "sh -c 'python train.py --epochs 2 --token sh-tok-4410'",
                        "sh-tok-4410", "--epochs 2 --token ****'"),
                Arguments.of("env assignment", "env HF_TOKEN=hf_abc123def python train.py", "hf_abc123def", "HF_TOKEN=**** python"),
                Arguments.of("--auth", "curl --auth u1:p4ss-991 https://x", "u1:p4ss-991", "--auth ****"),
                Arguments.of("--password=", "psql --password=pg-pass-42 -h db", "pg-pass-42", "--password=**** -h db"),
                Arguments.of("secret in JSON text", "{\"message\": \"run --api-key=k-1234567 now\"}", "k-1234567",
                        "{\"message\": \"run --api-key=**** now\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownSecretsInText")
    void secretsNobodyDeclaredAreMaskedAndTheRestOfTheTextStays(String why, String text, String secret, String expected) {
        String redacted = Redaction.redact(text);

        assertThat(redacted).doesNotContain(secret).contains(expected);
    }

    @Test
    void aValueCaughtOnceIsMaskedWhereverItAppearsLater() {
        Redaction.redact("python train.py --token learnt-" + TOKEN);

        assertThat(Redaction.redact("step 3: using learnt-" + TOKEN + " for the hub")).isEqualTo("step 3: using **** for the hub");
    }

    @Test
    void knownValuesAreMaskedInEveryEncodingAMessageCanCarry() {
        Redaction.remember(TOKEN + "/+&\"x");
        Redaction.rememberBasicAuth("ci-bot", PASSWORD);
        String value = TOKEN + "/+&\"x";

        List<String> forms = List.of(value,
                java.net.URLEncoder.encode(value, StandardCharsets.UTF_8),
                base64(value),
                Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                value.replace("&", "&amp;").replace("\"", "&quot;"),
                value.replace("\"", "\\\""),
                base64("ci-bot:" + PASSWORD),
                // Inside a longer Base64 text, at an offset that is not a multiple of three.
                base64("{\"user\":\"ci-bot\",\"pass\":\"" + PASSWORD + "\",\"n\":1}"));
        for (String form : forms) {
            String redacted = Redaction.redact("the server said: " + form + " (end)");
            assertThat(redacted).as(form).contains(Redaction.MASK).endsWith(" (end)");
            assertThat(decodesToSecret(redacted)).as(form).isFalse();
        }
    }

    @Test
    void secretEnvironmentVariablesAreKnownByTheirNames() {
        String aws = "aws/" + UUID.randomUUID();
        Redaction.rememberEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", aws, "HOME", "/home/ci-user"));

        assertThat(Redaction.redact("boto says " + aws)).isEqualTo("boto says ****");
        assertThat(Redaction.redact("cd /home/ci-user")).isEqualTo("cd /home/ci-user");
    }

    @Test
    void commandLinesMaskOptionValuesAssignmentsAndScripts() {
        List<String> redacted = Redaction.redactCommand(List.of("env", "WANDB_API_KEY=wb-8812aa", "sh", "-c",
                "python train.py --token sh-9913 --epochs 2", "--password", "p-77x1", "--api-key=k-0091", "--verbose"));

        assertThat(String.join(" ", redacted)).isEqualTo(
                "env WANDB_API_KEY=**** sh -c python train.py --token **** --epochs 2 --password **** --api-key=**** --verbose");
        assertThat(Redaction.redact("loss 0.3 (p-77x1)")).isEqualTo("loss 0.3 (****)");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        List<String> ordinary = List.of("Basic authentication failed for user 'ci-bot'",
                "set MLFLOW_TRACKING_TOKEN or --token TOKEN", "Bearer authentication is not configured",
                "registered churn version 3 (aliases staging)", "<td>roc_auc</td><td>0.91</td>");
        for (String text : ordinary) {
            Redaction.redact(text);
        }
        assertThat(Redaction.redact("TOKEN and MLFLOW_TRACKING_TOKEN stay")).isEqualTo("TOKEN and MLFLOW_TRACKING_TOKEN stay");
        assertThat(Redaction.redact("Basic authentication failed")).isEqualTo("Basic authentication failed");
        assertThat(Redaction.redact("<td>roc_auc</td><td>0.91</td>")).isEqualTo("<td>roc_auc</td><td>0.91</td>");
    }

    private static boolean decodesToSecret(String text) {
        for (String word : text.split("[^A-Za-z0-9+/=_-]+")) {
            for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
                try {
                    String decoded = new String(decoder.decode(word), StandardCharsets.UTF_8);
                    if (decoded.contains(TOKEN) || decoded.contains(PASSWORD)) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    // not Base64
                }
            }
        }
        return text.contains(TOKEN) || text.contains(PASSWORD);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
