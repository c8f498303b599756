package io.jenkins.plugins.mlops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.deploy.Postgres;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DuckDb;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.registry.RegisterConfig;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.registry.RegisterStep;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest} against a real PostgreSQL: a window bound by parameters, the Parquet file and its
 * lineage, registered with the file registry; every bad input refused with nothing left behind;
 * and a result larger than the heap streamed through the cursor in a JVM whose heap is bounded.
 */
class IngestOnPostgresTest {
    private static final String WINDOW = "SELECT id, day, amount, churned, note FROM events"
            + " WHERE day >= :start AND day < :end ORDER BY id";
    private static Postgres postgres;

    @TempDir
    Path workspace;

    @BeforeAll
    static void warehouse() throws SQLException {
        postgres = Postgres.start();
        execute(postgres.jdbcUrl(),
                "CREATE TABLE events (id bigint, day date, amount numeric(10,2), churned boolean, note text,"
                        + " at timestamptz)",
                "INSERT INTO events SELECT g, DATE '2026-10-01' + (g % 61), g / 100.0, g % 3 = 0,"
                        + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'n' || g END, TIMESTAMPTZ '2026-10-01 00:00+02' FROM generate_series(1, 6100) g",
                "CREATE TABLE wide AS SELECT g AS id, repeat('x', 200) || g AS payload FROM generate_series(1, 400000) g",
                "CREATE ROLE reader LOGIN PASSWORD 'reader-secret-4711'",
                "GRANT SELECT ON events, wide TO reader");
        postgres.requirePassword("reader");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void aBoundWindowBecomesParquetWithItsLineageAndTheRegisteredVersionNamesIt() throws Exception {
        IngestResult result = ingest(Map.of("query", WINDOW, "param", Map.of("start", "2026-11-01", "end", "2026-11-08"),
                "output", "batch.parquet"));
        // 7 days of 61, each day 100 rows.
        assertThat(result.rows()).isEqualTo(700);
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.columns()).containsExactly("id BIGINT", "day DATE", "amount DOUBLE", "churned BOOLEAN", "note VARCHAR");
        try (Connection duck = DuckDb.open(); Statement s = duck.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), min(day), max(day), count(note), sum(amount)::DECIMAL(18,2)"
                        + " FROM '" + workspace.resolve("batch.parquet") + "'")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(700);
            assertThat(r.getString(2)).isEqualTo("2026-11-01");
            assertThat(r.getString(3)).isEqualTo("2026-11-07");
            assertThat(r.getLong(4)).isEqualTo(630);
        }
        JsonNode lineage = Json.readStrictObject(workspace.resolve("batch.parquet.lineage.json"));
        assertThat(lineage.get("data_fingerprint").asText()).isEqualTo(result.dataFingerprint()).startsWith("sha256:");
        assertThat(lineage.get("rows").asLong()).isEqualTo(700);
        assertThat(lineage.get("query").asText()).isEqualTo(WINDOW);
        assertThat(lineage.get("parameters").get("start").asText()).isEqualTo("2026-11-01");
        assertThat(lineage.get("warehouse").asText()).doesNotContain("user=").doesNotContain("reader-secret");
        assertThat(Files.readString(workspace.resolve("batch.parquet.lineage.json"))).doesNotContain("reader-secret-4711");

        // "Train" on exactly that snapshot, then register it with the file registry.
        Files.createDirectories(workspace.resolve("model"));
        Files.writeString(workspace.resolve("model/model.json"), "{\"rows\": " + result.rows() + "}");
        RegisterResult registered = RegisterStep.run(new RegisterConfig("file:" + workspace.resolve("registry"), "churn",
                "model", null, List.of("staging"), Map.of(), null, null, null, null, "batch.parquet.lineage.json",
                "0123456789abcdef0123456789abcdef01234567", null, workspace.toString(), Duration.ofSeconds(30)),
                RegistryCredentials.NONE, line -> { });
        assertThat(registered.tags()).containsEntry("mlops.data_fingerprint", result.dataFingerprint())
                .containsEntry("mlops.data_rows", "700").containsEntry("mlops.data_query", WINDOW)
                .containsEntry("mlops.data_parameters", "end=2026-11-08, start=2026-11-01");
        // The same tags through a validation report that names the ingested file.
        Files.writeString(workspace.resolve("validation.json"), "{\"data\": \"batch.parquet\", \"data_fingerprint\": \""
                + result.dataFingerprint() + "\"}");
        RegisterResult viaValidation = RegisterStep.run(new RegisterConfig("file:" + workspace.resolve("registry2"), "churn",
                "model", null, List.of(), Map.of(), null, null, null, null, "validation.json",
                "0123456789abcdef0123456789abcdef01234567", null, workspace.toString(), Duration.ofSeconds(30)),
                RegistryCredentials.NONE, line -> { });
        assertThat(viaValidation.tags()).containsEntry("mlops.data_rows", "700").containsEntry("mlops.data_query", WINDOW);
    }

    @Test
    void anEmptyWindowIsAnEmptyParquetWithTheColumnsAndAWarning() throws Exception {
        IngestResult result = ingest(Map.of("query", WINDOW, "param", Map.of("start", "2030-01-01", "end", "2030-02-01"),
                "output", "empty.parquet"));
        assertThat(result.rows()).isZero();
        assertThat(result.status()).isEqualTo(Status.WARN);
        try (Connection duck = DuckDb.open(); Statement s = duck.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM (DESCRIBE SELECT * FROM '" + workspace.resolve("empty.parquet")
                        + "')")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(5);
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() throws Exception {
        Map<String, Object> window = Map.of("start", "2026-11-01", "end", "2026-11-08");
        assertBadInput(Map.of("query", WINDOW, "param", Map.of("start", "2026-11-01"), "output", "b.parquet"), ":end is not bound");
        assertBadInput(Map.of("query", WINDOW, "param", Map.of("start", "a", "end", "b", "stop", "c"), "output", "b.parquet"),
                "--param stop", "has no :stop");
        assertBadInput(Map.of("query", "DELETE FROM events", "output", "b.parquet"), "refused the query");
        assertBadInput(Map.of("query", "SELECT 1; DROP TABLE events", "output", "b.parquet"), "exactly one SELECT");
        assertBadInput(Map.of("query", "WITH gone AS (DELETE FROM events RETURNING id) SELECT * FROM gone", "output", "b.parquet"),
                "refused the query");
        assertBadInput(Map.of("query", "SELECT no_such_column FROM events", "output", "b.parquet"), "no_such_column");
        assertBadInput(Map.of("query", WINDOW, "param", window, "output", "missing/b.parquet"), "does not exist");
        assertBadInput(Map.of("queryFile", "nowhere.sql", "output", "b.parquet"), "no such file");
        // A query that fails half way (a division by zero at some row) leaves no Parquet.
        assertBadInput(Map.of("query", "SELECT id, 1 / (id - 5000) AS x FROM events ORDER BY id", "output", "b.parquet",
                "fetchSize", "100"), "division by zero");
        // The superuser could read the server's files with one SELECT.
        assertThatThrownBy(() -> IngestStep.run(IngestParameters.builder().setAll(Map.of("jdbcUrl", postgres.jdbcUrl(),
                "query", "SELECT 1 AS x", "output", "b.parquet")).build(), new Properties(), workspace, line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("superuser");
        assertThat(events()).isEqualTo(6100);
        try (Stream<Path> left = Files.list(workspace)) {
            assertThat(left).as("nothing half-written").isEmpty();
        }
    }

    @Test
    void aWrongPasswordOrAnUnreachableWarehouseIsInfrastructureAndThePasswordIsNeverShown() throws Exception {
        Properties wrong = credentials("not-the-password-9931");
        assertThatThrownBy(() -> IngestStep.run(parameters(Map.of("query", "SELECT 1 AS x", "output", "b.parquet")), wrong,
                workspace, line -> { })).isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("password authentication failed").hasMessageNotContaining("not-the-password-9931");
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> IngestStep.run(IngestParameters.builder().setAll(Map.of("jdbcUrl",
                "jdbc:postgresql://127.0.0.1:" + closed + "/postgres", "query", "SELECT 1 AS x", "output", "b.parquet")).build(),
                credentials("reader-secret-4711"), workspace, line -> { }))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("cannot connect to the warehouse")
                .hasMessageNotContaining("reader-secret-4711");
        try (Stream<Path> left = Files.list(workspace)) {
            assertThat(left).isEmpty();
        }
    }

    /**
     * 400,000 rows of ~206 characters are about 80 MB as text and several times that as Java
     * strings: a driver that held the whole result would run out of a 48 MB heap. Through the cursor
     * the child JVM ingests them within it; its peak resident memory is read from the kernel.
     */
    @Test
    void aResultLargerThanTheHeapStreamsThroughTheCursor() throws Exception {
        Path output = workspace.resolve("wide.parquet");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), IngestChild.class.getName(),
                postgres.jdbcUrl("reader") + "&password=reader-secret-4711", "SELECT id, payload FROM wide ORDER BY id",
                output.toString(), "64MB", "2000"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        long peakKb = 0;
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(child.getInputStream().readAllBytes()));
            } catch (java.io.IOException e) {
                out.append(e);
            }
        });
        reader.start();
        Path status = Path.of("/proc", String.valueOf(child.pid()), "status");
        while (child.isAlive()) {
            peakKb = Math.max(peakKb, highWaterKb(status));
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        reader.join(60_000);
        assertThat(child.exitValue()).as(out.toString()).isZero();
        assertThat(out.toString()).contains("rows=400000");
        System.out.println("ingest of 400,000 rows: peak RSS " + peakKb / 1024 + " MiB (-Xmx48m, DuckDB 64MB)");
        // JVM, DuckDB's 64 MB and its native code; holding the result would take far more.
        assertThat(peakKb).as("peak resident kB").isPositive().isLessThan(400 * 1024);
    }

    private static long highWaterKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // The process ended between the check and the read.
        }
        return 0;
    }

    private void assertBadInput(Map<String, Object> values, String... fragments) {
        assertThatThrownBy(() -> ingest(values)).isInstanceOf(BadInputException.class).hasMessageContainingAll(fragments)
                .hasMessageNotContaining("reader-secret-4711");
    }

    private IngestResult ingest(Map<String, Object> values) {
        return IngestStep.run(parameters(values), credentials("reader-secret-4711"), workspace, line -> { });
    }

    private static IngestParameters parameters(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(values);
        all.put("jdbcUrl", "jdbc:postgresql://" + postgres.jdbcUrl().substring("jdbc:postgresql://".length()).replaceAll("\\?.*", ""));
        return IngestParameters.builder().setAll(all).build();
    }

    private static Properties credentials(String password) {
        Properties properties = new Properties();
        properties.setProperty("user", "reader");
        properties.setProperty("password", password);
        return properties;
    }

    private static long events() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM events")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
