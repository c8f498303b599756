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

    @Test
    void aWideCsvCountedOnItsSamplesGridKeepsTheLimit() {
        // Twenty-odd histogram() counts in one scan: their state must not grow with rows. DuckDB
        // 2.0.0's does (this test runs out of its 150 MB there; 1.4.4 keeps within it), which is
        // why the root pom stays on 1.4.
        StringBuilder extra = new StringBuilder();
        for (int k = 1; k <= 16; k++) {
            if (k % 4 == 0) { // a float on a few hundred bins
                extra.append(", round((i * ").append(7919 * k).append(") % 100003 / 7.0, 2) AS f").append(k);
            } else { // an integer with 8 to 78 values, each counted one by one
                extra.append(", (i * ").append(31 * k + 7).append(") % ").append(3 + 5 * k).append(" AS n").append(k);
            }
        }
        Path data = TestData.copy(ProfilerDatasets.wide(500_000, 1.0, "['card', 'transfer', 'check']", extra.toString()),
                dir.resolve("wide-big.csv"), "HEADER");

        Profile profile = DataProfiling.profile(data.toString(), new EngineSettings("150MB", 2), message -> { });

        assertThat(data.toFile().length()).isGreaterThan(Profiler.SAMPLED_FROM_BYTES); // profiled in one scan on its sample's grid
        assertThat(profile.rowCount()).isEqualTo(500_000);
        assertThat(profile.column("n15").orElseThrow().histogram()).isNotNull();
    }
}
