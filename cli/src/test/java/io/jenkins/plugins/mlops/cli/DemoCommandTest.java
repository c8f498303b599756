package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops demo}'s refusals, before it makes a venv or writes a batch. Its runs themselves are
 * {@link RunCommandTest}'s (the same mlops.yaml, the train stage changed as --regression changes it).
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRegressionWithoutAChampionIsBadInputAndRunsNothing() throws Exception {
        ChurnProject project = ChurnProject.copy(dir.resolve("churn"));

        ChurnProject.Result demo = ChurnProject.mlops(Map.of(), "demo", "--regression", "--example", project.dir.toString());

        assertThat(demo.code()).as("%s", demo).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(demo.err()).contains("--regression needs a champion", "run ./mlops demo first")
                .contains("demo: the data is file-based (data/train.csv); set MLOPS_WAREHOUSE_URL to ingest from PostgreSQL");
        assertThat(project.dir.resolve("data/train.csv")).doesNotExist();
        assertThat(project.dir.resolve(".mlops/runs")).doesNotExist();
    }

    @Test
    void aWarehouseThatIsNotPostgresqlIsBadInput() throws Exception {
        ChurnProject project = ChurnProject.copy(dir.resolve("churn"));

        ChurnProject.Result demo = ChurnProject.mlops(Map.of(DemoWarehouse.URL, "jdbc:mysql://127.0.0.1/churn"), "demo",
                "--example", project.dir.toString());

        assertThat(demo.code()).as("%s", demo).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(demo.err()).contains("MLOPS_WAREHOUSE_URL: not a jdbc:postgresql: URL");
        assertThat(project.dir.resolve("data/train.csv")).doesNotExist();
    }

    @Test
    void aDirectoryThatIsNotTheExampleIsBadInput() {
        ChurnProject.Result demo = ChurnProject.mlops("demo", "--example", dir.toString());

        assertThat(demo.code()).as("%s", demo).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(demo.err()).contains("not the example project");
    }
}
