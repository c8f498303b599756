package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.registry.GateReports;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad input a tired or malicious user gives {@code mlops register} and {@code mlops models},
 * one row each: the exit code, a fragment the message must hold, and that the registry (which
 * already holds a version) is byte for byte as it was and no report was written.
 */
class RegistryBadInputTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String METRICS = "[{\"name\": \"roc_auc\", \"baseline\": 0.88, \"candidate\": 0.91}]";

    @TempDir
    Path dir;

    @BeforeEach
    void registryWithOneVersionAndInputFiles() throws IOException {
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("model/MLmodel"), "flavors: {}\n");
        Files.createDirectories(dir.resolve("empty-dir"));
        Files.createFile(dir.resolve("zero.pkl"));
        write("gate.json", GateReports.json("PASS", METRICS));
        write("gate-fail.json", GateReports.json("FAIL", METRICS));
        write("gate-duplicate.json", GateReports.json("FAIL", METRICS).replace("\"decision\": \"FAIL\"",
                "\"decision\": \"FAIL\", \"decision\": \"PASS\""));
        write("gate-lower.json", GateReports.json("PASS", METRICS).replace("\"decision\": \"PASS\"", "\"decision\": \"pass\""));
        write("gate-schema.json", GateReports.json("PASS", METRICS).replace("mlops.gate/v1", "mlops.gate/v0"));
        write("gate-contradiction.json", GateReports.json("PASS", METRICS).replace("\"status\": \"PASS\"", "\"status\": \"FAIL\""));
        write("gate-auc.json", GateReports.json("PASS", METRICS.replace("0.91", "-1")));
        write("gate-nan.json", GateReports.json("PASS", METRICS.replace("0.91", "NaN")));
        write("gate-twice.json", GateReports.json("PASS", "[{\"name\": \"f1\", \"candidate\": 0.5}, {\"name\": \"f1\", \"candidate\": 0.9}]"));
        write("gate-trailing.json", GateReports.json("FAIL", METRICS) + "{\"decision\": \"PASS\"}");
        write("gate-metrics.json", GateReports.json("PASS", "{\"roc_auc\": 0.9}"));
        write("empty.json", "");
        write("array.json", "[{\"decision\": \"PASS\"}]");
        write("validation-nofingerprint.json", "{\"status\": \"PASS\"}");
        write("validation-duplicate.json", "{\"data_fingerprint\": \"sha256:aa\", \"data_fingerprint\": \"sha256:bb\"}");
        try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("huge.json").toFile(), "rw")) {
            huge.setLength(65L << 20);
        }
        assertThat(InProcess.mlops("register", "--registry", registry(), "--name", "churn", "--model", path("model"),
                "--git-commit", COMMIT, "--quiet").code()).isZero();
    }

    static Stream<Arguments> register() {
        return Stream.of(
                row(2, "does not exist", "--model", "@missing"),
                row(2, "has no files", "--model", "@empty-dir"),
                row(2, "is empty (0 bytes)", "--model", "@zero.pkl"),
                row(2, "is not a valid file: URI", "--model", "file:%zz"),
                row(2, "Duplicate field 'decision'", "--gate-report", "@gate-duplicate.json"),
                row(2, "'decision' is 'pass', expected one of PASS, FAIL", "--gate-report", "@gate-lower.json"),
                row(2, "'schema' is 'mlops.gate/v0', expected 'mlops.gate/v1'", "--gate-report", "@gate-schema.json"),
                row(2, "'status' FAIL contradicts 'decision' PASS", "--gate-report", "@gate-contradiction.json"),
                row(2, "metrics[0].candidate of roc_auc is -1, but roc_auc is in [0, 1]", "--gate-report", "@gate-auc.json"),
                row(2, "is not valid JSON at line", "--gate-report", "@gate-nan.json"),
                row(2, "metric 'f1' appears twice", "--gate-report", "@gate-twice.json"),
                row(2, "is not valid JSON at line", "--gate-report", "@gate-trailing.json"),
                row(2, "field 'metrics' must be an array", "--gate-report", "@gate-metrics.json"),
                row(2, "is empty: expected a JSON object", "--gate-report", "@empty.json"),
                row(2, "expected a JSON object, not array", "--gate-report", "@array.json"),
                row(2, "larger than 64.0 MiB", "--gate-report", "@huge.json"),
                row(2, "does not exist", "--gate-report", "@no-such-gate.json"),
                row(2, "no 'data_fingerprint' string", "--validation-report", "@validation-nofingerprint.json"),
                row(2, "Duplicate field 'data_fingerprint'", "--validation-report", "@validation-duplicate.json"),
                row(2, "not both", "--validation-report", "@gate.json", "--data-profile", "@gate.json"),
                row(2, "reserved for lineage", "--tag", "mlops.git_commit=feed"),
                row(2, "--tag has an empty key", "--tag", "=x"),
                row(2, "'latest' and 'v<number>' are reserved", "--alias", "latest"),
                row(2, "alias 'no spaces' is not valid", "--alias", "no spaces"),
                row(2, "stage 'Prod' is not one of", "--stage", "Prod"),
                row(2, "--timeout must be longer than zero", "--timeout", "0"),
                row(2, "Invalid value for option '--timeout': 'soon' is not a duration", "--timeout", "soon"),
                row(2, "--name is empty", "--name", " "),
                row(2, "scheme 'ftp' is not supported", "--registry", "ftp://models.example.com/churn"),
                row(2, "the registry URL carries credentials", "--registry", "https://ci:hunter2@mlflow.example.com"),
                row(2, "Unknown options: '--tokn'", "--tokn", "x"),
                row(1, "Not registered: the gate decided FAIL", "--gate-report", "@gate-fail.json"));
    }

    static Stream<Arguments> models() {
        return Stream.of(
                row(2, "nope", "get", "--name", "nope", "--version", "1"),
                row(2, "no alias 'champion'", "get", "--name", "churn", "--alias", "champion"),
                row(2, "Error: Missing required argument", "get", "--name", "churn"),
                row(2, "7", "promote", "--name", "churn", "--version", "7", "--alias", "champion"),
                row(2, "'latest' and 'v<number>' are reserved", "promote", "--name", "churn", "--version", "1", "--alias", "latest"),
                row(2, "Invalid value for option '--version'", "promote", "--name", "churn", "--version", "one", "--alias", "champion"),
                row(2, "missing", "list", "--name", "missing"),
                row(2, "Invalid value for option '--timeout': '-5s' is not a duration", "list", "--name", "churn", "--timeout", "-5s"),
                row(2, "names no directory", "list", "--name", "churn", "--registry", "file:"));
    }

    @ParameterizedTest(name = "register {2} -> {0}")
    @MethodSource("register")
    void registerRefusesAndChangesNothing(int exit, String message, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("register"));
        args.addAll(withDefaults(resolve(options), "--registry", registry(), "--name", "churn", "--model", path("model"),
                "--git-commit", COMMIT, "--build-url", "https://ci.example.com/job/churn/9/"));
        assertRefusedWithoutChange(args, exit, message);
    }

    @ParameterizedTest(name = "models {2} -> {0}")
    @MethodSource("models")
    void modelsRefusesAndChangesNothing(int exit, String message, List<String> options) throws IOException {
        List<String> rest = resolve(options);
        List<String> args = new ArrayList<>(List.of("models", rest.get(0)));
        args.addAll(withDefaults(rest.subList(1, rest.size()), "--registry", registry()));
        assertRefusedWithoutChange(args, exit, message);
    }

    private void assertRefusedWithoutChange(List<String> args, int exit, String message) throws IOException {
        String before = fingerprint(dir.resolve("registry"));

        InProcess run = InProcess.mlops(args.toArray(String[]::new));

        assertThat(run.code()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(exit);
        assertThat(run.out() + run.err()).contains(message).doesNotContain("Exception", "\tat ", "hunter2");
        assertThat(fingerprint(dir.resolve("registry"))).as("the registry is unchanged").isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("register"));
        }
    }

    /** The row's options, then each default option the row does not give itself (picocli refuses an option twice). */
    private static List<String> withDefaults(List<String> options, String... defaults) {
        List<String> args = new ArrayList<>(options);
        for (int i = 0; i < defaults.length; i += 2) {
            if (!options.contains(defaults[i])) {
                args.addAll(List.of(defaults[i], defaults[i + 1]));
            }
        }
        return args;
    }

    private static Arguments row(int exit, String message, String... options) {
        return Arguments.of(exit, message, List.of(options));
    }

    /** {@code @name} is a file in the test directory. */
    private List<String> resolve(List<String> options) {
        return options.stream().map(option -> option.startsWith("@") ? path(option.substring(1)) : option).toList();
    }

    private String registry() {
        return "file:" + dir.resolve("registry");
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }

    /** Every file's path and content, hashed: any write to the registry changes it. */
    private static String fingerprint(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path path : walk.sorted().toList()) {
                digest.update(root.relativize(path).toString().getBytes());
                if (Files.isRegularFile(path)) {
                    digest.update(Files.readAllBytes(path));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
