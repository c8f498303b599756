package io.jenkins.plugins.mlops.cli;

import static io.jenkins.plugins.mlops.cli.InProcess.mlops;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops ingest} on a real PostgreSQL: the exit codes of the conventions, the report, and
 * a password that never shows. (The step's own behaviour is IngestOnPostgresTest's in core.)
 */
class IngestCommandTest {
    private static Postgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void warehouse() throws SQLException {
        postgres = Postgres.start();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE labels (id int, day date, label int)");
            s.execute("INSERT INTO labels SELECT g, DATE '2026-11-01' + (g % 10), g % 2 FROM generate_series(1, 1000) g");
            s.execute("CREATE ROLE analyst LOGIN PASSWORD 'analyst-secret-5120'");
            s.execute("GRANT SELECT ON labels TO analyst");
        }
        postgres.requirePassword("analyst");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void exitCodesFollowTheConventionsAndThePasswordNeverShows() throws Exception {
        String url = postgres.jdbcUrl().replaceAll("\\?.*", "");
        String out = dir.resolve("batch.parquet").toString();
        String query = "SELECT id, label FROM labels WHERE day >= :start AND day < :end";
        InProcess ok = mlops("ingest", "--jdbc-url", url + "?user=analyst&password=analyst-secret-5120", "--query", query,
                "--param", "start=2026-11-01", "--param", "end=2026-11-03", "--output", out, "--report", dir.resolve("r").toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Ingested 200 rows");
        assertThat(Files.readString(dir.resolve("r/ingest.json"))).contains("\"data_fingerprint\" : \"sha256:")
                .doesNotContain("analyst-secret-5120");
        assertThat(dir.resolve("batch.parquet.lineage.json")).exists();

        InProcess unbound = mlops("ingest", "--jdbc-url", url + "?user=analyst&password=analyst-secret-5120", "--query", query,
                "--param", "start=2026-11-01", "--output", dir.resolve("b.parquet").toString());
        assertThat(unbound.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unbound.err()).contains(":end is not bound");

        InProcess writes = mlops("ingest", "--jdbc-url", url + "?user=analyst&password=analyst-secret-5120",
                "--query", "UPDATE labels SET label = 1 RETURNING id", "--output", dir.resolve("b.parquet").toString());
        assertThat(writes.code()).isEqualTo(ExitCodes.BAD_INPUT);

        InProcess wrong = mlops("ingest", "--jdbc-url", url + "?user=analyst&password=wrong-pass-77", "--query", query,
                "--param", "start=2026-11-01", "--param", "end=2026-11-03", "--output", dir.resolve("b.parquet").toString());
        assertThat(wrong.code()).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(wrong.err()).contains("password authentication failed").doesNotContain("wrong-pass-77");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("batch.parquet",
                    "batch.parquet.lineage.json", "r");
        }
    }

    /** mlops.yaml's ingest stage runs first and writes the window the later stages read; its report is in the run directory. */
    @Test
    void theIngestStageRunsFromMlopsYaml() throws Exception {
        String url = postgres.jdbcUrl().replaceAll("\\?.*", "") + "?user=analyst&password=analyst-secret-5120";
        Files.writeString(dir.resolve("mlops.yaml"), "name: churn\ningest:\n  jdbc-url: " + url + "\n"
                + "  query: SELECT id, label FROM labels WHERE day >= :start AND day < :end\n"
                + "  param: {start: '2026-11-01', end: '2026-11-04'}\n  output: window.parquet\n");
        InProcess run = mlops("run", dir.resolve("mlops.yaml").toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(dir.resolve("window.parquet")).exists();
        assertThat(Files.readString(dir.resolve("window.parquet.lineage.json"))).contains("\"rows\" : 300");
        assertThat(run.out() + run.err()).doesNotContain("analyst-secret-5120");
    }
}
