package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.Postgres;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops demo} with MLOPS_WAREHOUSE_URL, on the tests' real PostgreSQL: the generated batch
 * goes into churn_customers and the pipeline ingests it back, so the registered version names the
 * query and the Parquet's fingerprint. One demo run (the first); a wrong password stops before it.
 */
class DemoFromWarehouseTest {
    private static final String PASSWORD = "demo-secret-4471";
    private static Postgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void warehouse() throws SQLException {
        postgres = Postgres.start();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
            // Not superusers: ingest refuses one. The demo makes its table, so its role may create in public.
            s.execute("CREATE ROLE demo LOGIN");
            s.execute("CREATE ROLE demo_pw LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("GRANT CREATE ON SCHEMA public TO demo, demo_pw");
        }
        postgres.requirePassword("demo_pw");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void theFirstRunLoadsTheBatchAndTheRegisteredVersionNamesTheIngestedData() throws Exception {
        ChurnProject project = ChurnProject.copy(dir.resolve("churn"));
        DemoContainersTest.demoVenv(project.dir);
        // Trust authentication for this role: the pipeline's ingest stage reads the credentials from
        // the process's own environment, which a test cannot set.
        String url = postgres.jdbcUrl("demo");

        ChurnProject.Result demo = ChurnProject.mlops(Map.of(DemoWarehouse.URL, url), "demo", "--example", project.dir.toString());

        assertThat(demo.code()).as("%s", demo).isZero();
        assertThat(demo.err()).contains("demo: loaded 5000 rows into churn_customers (batch 'first')")
                .doesNotContain("file-based");
        assertThat(batches()).isEqualTo(Map.of("first", 5000L));
        // Loading the same batch again replaces its rows: a rerun never doubles them.
        assertThat(DemoWarehouse.fromEnvironment(Map.of(DemoWarehouse.URL, url))
                .load(project.dir.resolve(DemoWarehouse.BATCH_FILE), "first")).isEqualTo(5000);
        assertThat(batches()).isEqualTo(Map.of("first", 5000L));
        Path parquet = project.dir.resolve(DemoWarehouse.INGESTED);
        ModelVersion version = ModelRegistries.open("file:" + project.dir.resolve(".mlops/registry"), RegistryCredentials.NONE,
                Duration.ofSeconds(30), line -> { }).get("churn", 1);
        assertThat(version.tags().get("mlops.data_query")).contains("FROM churn_customers WHERE batch = :batch");
        assertThat(version.tags().get("mlops.data_rows")).isEqualTo("5000");
        assertThat(version.tags().get("mlops.data_fingerprint")).isEqualTo("sha256:" + DemoCommand.sha256(parquet));
    }

    private static Map<String, Long> batches() throws SQLException {
        Map<String, Long> batches = new HashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT batch, count(*) FROM churn_customers GROUP BY batch")) {
            while (rows.next()) {
                batches.put(rows.getString(1), rows.getLong(2));
            }
        }
        return batches;
    }

    @Test
    void aWrongPasswordIsExitThreeBeforeAnythingIsMadeAndNeverShown() throws Exception {
        ChurnProject project = ChurnProject.copy(dir.resolve("churn"));
        String url = postgres.jdbcUrl().replaceAll("\\?.*", "");

        ChurnProject.Result demo = ChurnProject.mlops(Map.of(DemoWarehouse.URL, url, "MLOPS_WAREHOUSE_USER", "demo_pw",
                "MLOPS_WAREHOUSE_PASSWORD", "wrong-pass-9931"), "demo", "--example", project.dir.toString());

        assertThat(demo.code()).as("%s", demo).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(demo.err()).contains("cannot connect to the warehouse", "password authentication failed")
                .doesNotContain("wrong-pass-9931");
        assertThat(demo.out()).doesNotContain("wrong-pass-9931");
        assertThat(project.dir.resolve(DemoWarehouse.BATCH_FILE)).doesNotExist();
    }
}
