package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory limit is a budget the scan keeps, not a wall it hits: a very wide file and a file
 * many times larger than the limit both profile within it. DuckDB's memory for a query grows with
 * its expressions and its CSV buffers, not its rows, so both once ran out of memory (exit 3).
 */
class EngineLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aVeryWideFileIsProfiledWithinTheLimit() {
        int columns = 600;
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            header.append(i == 0 ? "" : ",").append("c").append(i);
            row.append(i == 0 ? "" : ",").append(i % 10);
        }
        Path wide = TestData.write(dir, "wide.csv", header + "\n" + row + "\n" + row + "\n");

        Profile profile = DataProfiling.profile(wide.toString(), new EngineSettings("128MB", 2), message -> { });

        assertThat(profile.columns()).hasSize(columns);
        assertThat(profile.columns().get(columns - 1).histogram()).isNotNull();
    }

    @Test
    void aCsvLargerThanTheLimitIsProfiledWithinIt() {
        Path big = TestData.churn(dir.resolve("big.csv"), 3_000_000, 0.3, 0, 0);

        Profile profile = DataProfiling.profile(big.toString(), new EngineSettings("100MB", 2), message -> { });

        assertThat(big.toFile().length()).isGreaterThan(100_000_000L);
        assertThat(profile.rowCount()).isEqualTo(3_000_000);
    }
}
