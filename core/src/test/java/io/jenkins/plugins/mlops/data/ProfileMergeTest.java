package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileMergeTest {
    @TempDir
    Path dir;

    private static Profile profile(Path path) {
        return DataProfiling.profile(path.toString(), EngineSettings.DEFAULT, message -> { });
    }

    @Test
    void mergedPartitionsEqualTheProfileOfTheWhole() {
        Path whole = TestData.churn(dir.resolve("whole.parquet"), 20_000, 0.3, 0, 0);
        Path first = TestData.copy("SELECT * FROM read_parquet('" + whole + "') WHERE customer_id < 8000", dir.resolve("a.parquet"), "FORMAT parquet");
        Path second = TestData.copy("SELECT * FROM read_parquet('" + whole + "') WHERE customer_id >= 8000", dir.resolve("b.parquet"), "FORMAT parquet");

        Profile expected = profile(whole);
        Profile merged = profile(first).merge(profile(second));

        assertThat(merged.rowCount()).isEqualTo(expected.rowCount());
        for (ColumnProfile column : expected.columns()) {
            ColumnProfile actual = merged.column(column.name()).orElseThrow();
            assertThat(actual.nulls()).as(column.name()).isEqualTo(column.nulls());
            assertThat(actual.idLike()).as(column.name()).isEqualTo(column.idLike());
            assertThat(actual.histogram()).as(column.name()).isEqualTo(column.histogram());
            assertThat(actual.categories()).as(column.name()).isEqualTo(column.categories());
            assertThat(actual.quantiles()).as(column.name()).isEqualTo(column.quantiles());
            if (column.numeric() != null) {
                assertThat(actual.numeric().count()).isEqualTo(column.numeric().count());
                assertThat(actual.numeric().min()).isEqualTo(column.numeric().min());
                assertThat(actual.numeric().max()).isEqualTo(column.numeric().max());
                assertThat(actual.numeric().mean()).isCloseTo(column.numeric().mean(), within(1e-6));
                assertThat(actual.numeric().std()).isCloseTo(column.numeric().std(), within(1e-6));
            }
        }
        assertThat(merged.dataFingerprint()).startsWith("sha256:")
                .isEqualTo(profile(second).merge(profile(first)).dataFingerprint());
    }

    @Test
    void profilesWithDifferentColumnsDoNotMerge() {
        Profile a = profile(TestData.write(dir, "a.csv", "x,y\n1,2\n"));
        Profile b = profile(TestData.write(dir, "b.csv", "x,z\n1,2\n"));
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(BadInputException.class).hasMessageContaining("different columns");
    }

    @Test
    void savedProfileReadsBackEqual() {
        Profile profile = profile(TestData.churn(dir.resolve("d.csv"), 500, 0.5, 0, 0));
        Path file = dir.resolve("p.json");

        ProfileFile.write(file, profile);

        assertThat(ProfileFile.read(file)).isEqualTo(profile);
    }

    @Test
    void fileThatIsNotAProfileIsBadInput() {
        Path notProfile = TestData.write(dir, "x.json", "{\"schema\": \"mlops.gate/v1\", \"columns\": []}");
        assertThatThrownBy(() -> ProfileFile.read(notProfile)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not an mlops profile");
        Path broken = TestData.write(dir, "y.json", "{\"schema\": ");
        assertThatThrownBy(() -> ProfileFile.read(broken)).isInstanceOf(BadInputException.class).hasMessageContaining("y.json");
    }
}
