package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data where it lives: {@code table:NAME} names a table of the Spark catalogue, which engine spark
 * profiles without files; the tables here are global views over the churn example's batches, made
 * with Spark SQL on the real server, and give the DuckDB verdicts on the same files.
 */
class SparkTableTest {
    private static final Path CHURN = Path.of("..", "examples", "churn", "data").toAbsolutePath().normalize();

    private static SparkSession spark;

    @BeforeAll
    static void tables() {
        spark = SparkSession.builder().remote(SparkConnectServer.shared().remote()).create();
        for (String batch : new String[] {"reference", "current", "drifted"}) {
            spark.sql("CREATE OR REPLACE GLOBAL TEMPORARY VIEW churn_" + batch + " USING csv OPTIONS (path '"
                    + CHURN.resolve(batch + ".csv") + "', header 'true', inferSchema 'true')");
        }
    }

    @AfterAll
    static void close() {
        spark.close();
    }

    private static EngineSettings onSpark() {
        return new EngineSettings("2GB", 0, SparkConnectServer.shared().remote());
    }

    private static ValidationResult validate(String data, String reference, EngineSettings engine) {
        return new DataValidator(line -> { }).validate(new ValidationConfig(data, reference, null, null, engine));
    }

    @Test
    void aTableGivesTheVerdictsOfItsFilesOnDuckDbAndAFingerprintOfItsRows() {
        for (String batch : new String[] {"current", "drifted"}) {
            ValidationResult onFiles = validate(CHURN.resolve(batch + ".csv").toString(), CHURN.resolve("reference.csv").toString(),
                    EngineSettings.DEFAULT);
            ValidationResult onTables = validate("table:global_temp.churn_" + batch, "table:global_temp.churn_reference", onSpark());
            assertThat(SparkVerdictsTest.differences(batch, onFiles, onTables)).isEmpty();
            assertThat(onTables.status()).isEqualTo(batch.equals("drifted") ? Status.FAIL : Status.PASS);
            assertThat(onTables.data()).isEqualTo("table:global_temp.churn_" + batch);
        }
        // The fingerprint is the rows': the same table twice, the same; another batch, another.
        Profile current = DataProfiling.profile("table:global_temp.churn_current", onSpark(), line -> { });
        assertThat(current.rowCount()).isEqualTo(5000);
        assertThat(current.dataFingerprint()).startsWith("sha256:")
                .isEqualTo(DataProfiling.profile("table:global_temp.churn_current", onSpark(), line -> { }).dataFingerprint())
                .isNotEqualTo(DataProfiling.profile("table:global_temp.churn_drifted", onSpark(), line -> { }).dataFingerprint());
    }

    @Test
    void aTableOnDuckDbAnUnknownTableAndANameThatIsNoTableNameAreBadInput() {
        assertThatThrownBy(() -> validate("table:global_temp.churn_current", null, EngineSettings.DEFAULT))
                .isInstanceOf(BadInputException.class).hasMessageContaining("a table is read where it lives, by --engine spark");
        assertThatThrownBy(() -> validate("table:global_temp.no_such_table", null, onSpark()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("table:global_temp.no_such_table")
                .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
        assertThatThrownBy(() -> validate("table:churn; DROP TABLE x", null, onSpark()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a table name");
    }
}
