package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.deploy.Postgres;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad input per command, as a careless user gives it: each row is the arguments, the exit code,
 * a fragment the message must hold, and afterwards nothing in the working directory was written
 * or changed (no report, no output directory, no sample). {@code @DIR} in an argument is the
 * test's directory.
 */
class BadInputTableTest {
    /** Where a shell command run by the database's OS user through COPY ... TO PROGRAM would leave its mark. */
    private static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "mlops-bad-input-" + ProcessHandle.current().pid());
    private static Postgres postgres;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A prediction log on PostgreSQL holding one outcome, and {@code metrics}, a role that can only read it. */
    @BeforeAll
    static void startPostgres() throws SQLException {
        postgres = Postgres.start();
        PredictionLog.createTables(postgres.jdbcUrl(), new Properties(), "log");
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO mlops_feedback VALUES ('r1', 1, NULL, 5)");
            s.execute("CREATE ROLE metrics LOGIN");
            s.execute("GRANT SELECT ON mlops_predictions, mlops_feedback TO metrics");
        }
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void writeInputs() throws IOException {
        PredictionLog.createTables("jdbc:sqlite:" + dir.resolve("log.db"), new Properties(), "log");
        List<String> binary = new ArrayList<>(List.of("id,y,pred,proba,grade"));
        for (int i = 0; i < 60; i++) {
            int y = i % 3 == 0 ? 1 : 0;
            binary.add(i + "," + y + "," + y + "," + (y == 1 ? 0.8 : 0.3) + "," + (i % 3));
        }
        Files.write(dir.resolve("cand.csv"), binary);
        Files.write(dir.resolve("base.csv"), binary);
        Files.writeString(dir.resolve("dup.json"), "{\"roc_auc\": 0.91, \"roc_auc\": 0.5}");
        Files.writeString(dir.resolve("negative.json"), "{\"roc_auc\": -1}");
        Files.writeString(dir.resolve("trailing.json"), "{\"roc_auc\": 0.9} {\"roc_auc\": 0.1}");
        Files.writeString(dir.resolve("array.json"), "[0.9]");
        Files.writeString(dir.resolve("train.csv"), "x,label\n1,a\n2,b\n3,a\n");
        Files.writeString(dir.resolve("kc.yaml"), String.join("\n",
                "apiVersion: v1", "kind: Config", "current-context: dev",
                "clusters:", "- name: dev-cluster", "  cluster: {server: 'https://127.0.0.1:1'}",
                "- name: prod-cluster", "  cluster: {server: 'https://127.0.0.1:2'}",
                "contexts:", "- name: dev", "  context: {cluster: dev-cluster, user: me}",
                "- name: production", "  context: {cluster: prod-cluster, user: me}",
                "users:", "- name: me", "  user: {token: tok-kubeconfig-secret}", ""));
        Files.writeString(dir.resolve("broken-kc.yaml"), "users: [ {token: tok-kubeconfig-secret\n");
        // Older than anything the run could write, so a changed time shows a write.
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
            }
        }
    }

    static Stream<Arguments> gate() {
        String[] common = {"gate", "--candidate", "@DIR/cand.csv", "--label", "y", "--report", "@DIR/reports"};
        return Stream.of(
                row(2, "--candidate is required", "gate", "--baseline", "@DIR/base.csv", "--label", "y", "--prediction", "pred"),
                row(2, "--prediction is required", with(common, "--baseline", "@DIR/base.csv")),
                row(2, "--threshold must be a probability in [0, 1]", with(common, "--baseline", "@DIR/base.csv",
                        "--score", "proba", "--threshold", "1.5")),
                row(2, "Duplicate field 'roc_auc'", with(common, "--baseline-metrics", "@DIR/dup.json", "--score", "proba")),
                row(2, "roc_auc must be in [0, 1], got -1", with(common, "--baseline-metrics", "@DIR/negative.json",
                        "--score", "proba")),
                row(2, "not valid JSON", with(common, "--baseline-metrics", "@DIR/trailing.json", "--score", "proba")),
                row(2, "expected a JSON object", with(common, "--baseline-metrics", "@DIR/array.json", "--score", "proba")),
                row(2, "does not exist", with(common, "--baseline-metrics", "@DIR/missing.json", "--score", "proba")),
                row(2, "give exactly one of --baseline", with(common, "--baseline", "@DIR/base.csv",
                        "--baseline-metrics", "@DIR/negative.json", "--prediction", "pred")),
                row(2, "unknown metric 'auc'", with(common, "--baseline", "@DIR/base.csv", "--score", "proba", "--metric", "auc")),
                row(2, "resamples must be between", with(common, "--baseline", "@DIR/base.csv", "--prediction", "pred",
                        "--resamples", "5")),
                row(2, "is not a duration", with(common, "--baseline", "@DIR/base.csv", "--prediction", "pred",
                        "--timeout", "soon")),
                row(2, "must be longer than zero", with(common, "--baseline", "@DIR/base.csv", "--prediction", "pred",
                        "--timeout", "0")),
                row(2, "not found", with(common, "--baseline", "@DIR/nope.csv", "--prediction", "pred")),
                row(2, "give --prediction", "gate", "--candidate", "@DIR/cand.csv", "--baseline", "@DIR/base.csv",
                        "--label", "grade", "--score", "proba", "--report", "@DIR/reports"),
                row(2, "--score is for classification", with(common, "--baseline", "@DIR/base.csv",
                        "--task", "regression", "--score", "proba")),
                row(2, "/dev/zero is larger than 1.0 MiB; a policy is a few rules", with(common, "--baseline", "@DIR/base.csv",
                        "--prediction", "pred", "--policy", "/dev/zero")),
                row(2, "/dev/zero is not valid JSON", with(common, "--baseline-metrics", "/dev/zero", "--score", "proba")));
    }

    static Stream<Arguments> smokeTrain() {
        String python = SmokeTrainCommandTest.python();
        String[] common = {"smoke-train", "--data", "@DIR/train.csv", "--out", "@DIR/out", "--report", "@DIR/reports"};
        return Stream.of(
                row(2, "unknown placeholder {dat} in '{dat}'; known: {data}, {epochs}, {out}",
                        with(common, "--", python, "-c", "print(1)", "{dat}")),
                row(2, "unknown placeholder {output}", with(common, "--expect-output", "{output}/model.pkl", "--", python,
                        "-c", "print(1)")),
                row(2, "--rows must be at least 1", with(common, "--rows", "0", "--", python, "-c", "print(1)")),
                row(2, "is not a size", with(common, "--memory", "lots", "--", python, "-c", "print(1)")),
                row(2, "--memory: '0' is out of range", with(common, "--memory", "0", "--", python, "-c", "print(1)")),
                row(2, "is not a duration", with(common, "--timeout", "soon", "--", python, "-c", "print(1)")),
                row(2, "must be longer than zero", with(common, "--timeout", "0s", "--", python, "-c", "print(1)")),
                row(2, "no such data file", "smoke-train", "--data", "@DIR/missing.csv", "--out", "@DIR/out", "--report",
                        "@DIR/reports", "--", python, "-c", "print(1)"),
                row(2, "'mlops-no-such-trainer' not found on PATH", with(common, "--", "mlops-no-such-trainer", "{data}")),
                row(2, "--out @DIR/train.csv is a file", "smoke-train", "--data", "@DIR/train.csv", "--out", "@DIR/train.csv",
                        "--report", "@DIR/reports", "--", python, "-c", "print(1)"),
                row(2, "no training command given (put it after --", common));
    }

    static Stream<Arguments> train() {
        String[] common = {"train", "--report", "@DIR/reports"};
        return Stream.of(
                row(2, "--context prd: --kubeconfig @DIR/kc.yaml has no such context; it has dev, production",
                        with(common, "--kubeconfig", "@DIR/kc.yaml", "--context", "prd", "--image", "img", "--", "python")),
                row(2, "not a kubeconfig", with(common, "--kubeconfig", "@DIR/broken-kc.yaml", "--image", "img", "--", "python")),
                row(2, "no such file", with(common, "--kubeconfig", "@DIR/none.yaml", "--image", "img", "--", "python")),
                row(2, "--image is required", with(common, "--kubeconfig", "@DIR/kc.yaml", "--", "python")),
                row(2, "--namespace: 'Team_A' is not a Kubernetes namespace", with(common, "--kubeconfig", "@DIR/kc.yaml",
                        "--image", "img", "--namespace", "Team_A", "--", "python")),
                row(2, "--gpu-type: 'A100 80GB' cannot be a node label value", with(common, "--kubeconfig", "@DIR/kc.yaml",
                        "--image", "img", "--gpu-type", "A100 80GB", "--", "python")),
                row(2, "--gpus must not be negative", with(common, "--backend", "local", "--gpus", "-1", "--", "true")),
                row(2, "--backend: 'gpu' is not one of kubernetes, local", with(common, "--backend", "gpu", "--", "true")),
                row(2, "is not a duration", with(common, "--timeout", "soon", "--backend", "local", "--gpus", "0", "--", "true")),
                row(2, "'mlops-no-such-trainer' not found on PATH", with(common, "--backend", "local", "--gpus", "0", "--",
                        "mlops-no-such-trainer")));
    }

    /** {@code @PG} is the log as the cluster's superuser, {@code @PGROLE} as the role that can only read it. */
    static Stream<Arguments> canary() {
        String[] common = {"canary", "--stable", "http://127.0.0.1:9", "--candidate", "http://127.0.0.1:9", "--listen",
            "127.0.0.1:0", "--report", "@DIR/reports"};
        return Stream.concat(logAndMetrics(common), Stream.of(
                row(2, "--metric-log: 'jdbc:postgresql:///postgres' names no host", with(common, "--log", "@PG",
                        "--metric-log", "jdbc:postgresql:///postgres", "--metric", "m=SELECT outcome FROM mlops_feedback"))));
    }

    static Stream<Arguments> ab() {
        return logAndMetrics(new String[] {"ab", "--a", "http://127.0.0.1:9", "--b", "http://127.0.0.1:9", "--requests", "40",
            "--listen", "127.0.0.1:0", "--report", "@DIR/reports"});
    }

    /** The issue's attacks through a metric, and a log URL without a host: refused before the router starts. */
    private static Stream<Arguments> logAndMetrics(String[] common) {
        String drop = "m=SELECT 1; ROLLBACK; BEGIN READ WRITE; DROP TABLE mlops_feedback; COMMIT";
        String program = "m=SELECT 1; COPY (SELECT 1) TO PROGRAM 'touch " + MARKER + "'";
        String closed = "m=SELECT 1) AS x; COPY (SELECT 1) TO PROGRAM 'touch " + MARKER + "'; SELECT * FROM (SELECT 1";
        return Stream.of(
                row(2, "--log: 'jdbc:postgresql://' names no host", with(common, "--log", "jdbc:postgresql://")),
                row(2, "--log: 'jdbc:postgresql:mlops' names no host", with(common, "--log", "jdbc:postgresql:mlops")),
                row(2, "(a metric is exactly one SELECT): [SQLITE_ERROR]", with(common, "--log", "jdbc:sqlite:@DIR/log.db",
                        "--metric", "m=SELECT outcome FROM mlops_feedback; DELETE FROM mlops_feedback")),
                row(2, "SQLite reads only the first statement", with(common, "--log", "jdbc:sqlite:@DIR/log.db",
                        "--metric", "m=SELECT 1) AS x; DELETE FROM mlops_feedback; SELECT * FROM (SELECT 1")),
                row(2, "--metric m: the database refused the query", with(common, "--log", "jdbc:sqlite:@DIR/log.db",
                        "--metric", "m=WITH x AS (SELECT 1) DELETE FROM mlops_feedback RETURNING 1")),
                row(2, "'mlops' is a PostgreSQL superuser", with(common, "--log", "@PG", "--metric", drop)),
                row(2, "'mlops' is a PostgreSQL superuser", with(common, "--log", "@PG", "--metric", program)),
                row(2, "'mlops' is a PostgreSQL superuser", with(common, "--log", "@PG",
                        "--metric", "m=SELECT pg_read_file('/etc/passwd')::int")),
                row(2, "--metric m: the database refused the query (a metric is exactly one SELECT)", with(common,
                        "--log", "@PG", "--metric-log", "@PGROLE", "--metric", drop)),
                row(2, "--metric m: the database refused the query (a metric is exactly one SELECT)", with(common,
                        "--log", "@PG", "--metric-log", "@PGROLE", "--metric", program)),
                row(2, "--metric m: the query is 3 statements", with(common, "--log", "@PG", "--metric-log", "@PGROLE",
                        "--metric", closed)));
    }

    @ParameterizedTest(name = "canary {2}")
    @MethodSource("canary")
    void canaryRefusesBadInputBeforeTheRouterStarts(int exit, String message, List<String> args) throws Exception {
        assertRefusedLeavingTheLogAlone(exit, message, args);
    }

    @ParameterizedTest(name = "ab {2}")
    @MethodSource("ab")
    void abRefusesBadInputBeforeTheRouterStarts(int exit, String message, List<String> args) throws Exception {
        assertRefusedLeavingTheLogAlone(exit, message, args);
    }

    private void assertRefusedLeavingTheLogAlone(int exit, String message, List<String> args) throws Exception {
        assertRefused(exit, message, args.stream().map(a -> a.replace("@PGROLE", postgres.jdbcUrl("metrics"))
                .replace("@PG", postgres.jdbcUrl())).toList());
        assertThat(out.toString() + err).doesNotContain("Router listening", "root:");
        assertThat(MARKER).doesNotExist();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM mlops_feedback")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    static Stream<Arguments> shadow() {
        String[] common = {"shadow", "--primary", "http://127.0.0.1:9/p", "--shadow", "http://127.0.0.1:9/s", "--listen",
            "127.0.0.1:0", "--report", "@DIR/reports"};
        return Stream.of(
                row(2, "/dev/zero is larger than 256.0 MiB; --replay takes a sample of traffic", with(common, "--replay", "/dev/zero")),
                // --duration bounds a run that accepted the option: it would wait for traffic otherwise.
                row(2, "--mirror-timeout must be longer than zero", with(common, "--duration", "2s", "--mirror-timeout", "0s")),
                row(2, "--max-latency-ratio must be above 0", with(common, "--duration", "2s", "--max-latency-ratio", "0")),
                row(2, "missing.pem cannot be read", with(common, "--duration", "2s", "--upstream-ca", "@DIR/missing.pem")));
    }

    static Stream<Arguments> router() {
        String[] common = {"router", "--listen", "127.0.0.1:0", "--variant", "stable=http://127.0.0.1:9"};
        return Stream.of(
                row(2, "--upstream-timeout must be longer than zero", with(common, "--upstream-timeout", "0s")),
                row(2, "--variant stable is given twice", with(common, "--variant", "stable=http://127.0.0.1:10")),
                row(2, "--weight stable is given twice", with(common, "--variant", "canary=http://127.0.0.1:10",
                        "--weight", "stable=50", "--weight", "stable=90", "--weight", "canary=10")),
                row(2, "--weight: 'half' is not a whole percent", with(common, "--weight", "stable=half")),
                row(2, "missing.pem cannot be read", with(common, "--upstream-ca", "@DIR/missing.pem")),
                row(2, "--variant 'stable': expected NAME=VALUE", "router", "--listen", "127.0.0.1:0", "--variant", "stable"));
    }

    static Stream<Arguments> abDurations() {
        String[] common = {"ab", "--a", "http://127.0.0.1:9", "--b", "http://127.0.0.1:10", "--listen", "127.0.0.1:0",
            "--report", "@DIR/reports"};
        return Stream.of(
                row(2, "--max-duration must be longer than zero", with(common, "--requests", "40", "--max-duration", "0s")),
                row(2, "--duration must be longer than zero", with(common, "--duration", "0s")),
                row(2, "missing.pem cannot be read", with(common, "--requests", "40", "--upstream-ca", "@DIR/missing.pem")));
    }

    static Stream<Arguments> canaryDurations() {
        String[] common = {"canary", "--stable", "http://127.0.0.1:9", "--candidate", "http://127.0.0.1:10", "--listen",
            "127.0.0.1:0", "--report", "@DIR/reports"};
        return Stream.of(
                row(2, "--max-latency-ratio must be at least 1", with(common, "--max-latency-ratio", "0")),
                row(2, "--step-duration must be longer than zero", with(common, "--step-duration", "0s")),
                row(2, "missing.pem cannot be read", with(common, "--upstream-ca", "@DIR/missing.pem")));
    }

    static Stream<Arguments> drift() {
        // The data and the profile do not exist: the URL must be refused before either is read.
        return Stream.of(
                row(2, "--trigger https://ci.example.com/view/all/: not a job URL", "drift", "--reference-profile",
                        "@DIR/missing.json", "--data", "@DIR/missing.csv", "--trigger", "https://ci.example.com/view/all/",
                        "--report", "@DIR/reports"));
    }

    static Stream<Arguments> pipelineRun() {
        return Stream.of(
                row(2, "/dev/zero is larger than 1.0 MiB; a pipeline file is a few dozen lines", "run", "/dev/zero"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource({"shadow", "router", "abDurations", "canaryDurations", "drift", "pipelineRun"})
    @Timeout(120) // a router or a run that accepted the options would wait for traffic or run until stopped
    void deploymentCommandsRefuseBadInput(int exit, String message, List<String> args) throws IOException {
        assertRefused(exit, message, args);
    }

    @ParameterizedTest(name = "gate {2}")
    @MethodSource("gate")
    void gateRefusesBadInput(int exit, String message, List<String> args) throws IOException {
        assertRefused(exit, message, args);
    }

    @ParameterizedTest(name = "smoke-train {2}")
    @MethodSource("smokeTrain")
    void smokeTrainRefusesBadInput(int exit, String message, List<String> args) throws IOException {
        assertRefused(exit, message, args);
    }

    @ParameterizedTest(name = "train {2}")
    @MethodSource("train")
    void trainRefusesBadInput(int exit, String message, List<String> args) throws IOException {
        assertRefused(exit, message, args);
    }

    private void assertRefused(int exit, String message, List<String> args) throws IOException {
        TestEnvironment.python();
        Map<String, String> before = snapshot();
        String[] argv = args.stream().map(a -> a.replace("@DIR", dir.toString())).toArray(String[]::new);

        int code = run(argv);

        String said = err.toString();
        assertThat(code).as(said).isEqualTo(exit);
        assertThat(said.replace(dir.toString(), "@DIR")).contains(message.replace(dir.toString(), "@DIR"));
        assertThat(said).doesNotContain("Exception", "\tat ", "tok-kubeconfig-secret");
        assertThat(snapshot()).as("files in the working directory after the run").isEqualTo(before);
    }

    /** Every file under the directory with its size and modification time. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                files.put(dir.relativize(path).toString(), Files.isDirectory(path) ? "dir"
                        : Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis());
            }
        }
        return files;
    }

    private int run(String... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static String[] with(String[] common, String... more) {
        return Stream.concat(Stream.of(common), Stream.of(more)).toArray(String[]::new);
    }

    private static Arguments row(int exit, String message, String... args) {
        return Arguments.of(exit, message, List.of(args));
    }
}
