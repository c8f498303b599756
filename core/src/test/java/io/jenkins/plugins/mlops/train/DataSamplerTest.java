package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSamplerTest {
    @TempDir
    Path dir;

    @Test
    void takesTheAskedRowsRepeatablyForASeed() throws Exception {
        Path data = TestPython.trainingCsv(dir, 5000);

        DataSample first = DataSampler.sample(data, 100, null, 7, dir.resolve("s1"));
        DataSample again = DataSampler.sample(data, 100, null, 7, dir.resolve("s2"));
        DataSample otherSeed = DataSampler.sample(data, 100, null, 8, dir.resolve("s3"));

        assertThat(first.rows()).isEqualTo(100);
        assertThat(first.sourceRows()).isEqualTo(5000);
        List<String> rows1 = sortedLines(dir.resolve("s1/sample.csv"));
        assertThat(rows1.get(0)).isEqualTo("x1,x2,label");
        assertThat(sortedLines(dir.resolve("s2/sample.csv"))).isEqualTo(rows1);
        assertThat(sortedLines(dir.resolve("s3/sample.csv"))).isNotEqualTo(rows1);
        assertThat(otherSeed.rows()).isEqualTo(100);
    }

    @Test
    void stratifiedSampleKeepsEveryClassInProportion() throws Exception {
        Path data = TestPython.trainingCsv(dir, 5000);

        DataSample sample = DataSampler.sample(data, 50, "label", 42, dir.resolve("s"));

        assertThat(sample.rows()).isEqualTo(50);
        assertThat(sample.rowsPerLabel()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 30L, "b", 15L, "c", 5L));
        List<String> lines = Files.readAllLines(dir.resolve("s/sample.csv"));
        assertThat(lines).hasSize(51);
        assertThat(lines.stream().skip(1).filter(l -> l.endsWith(",c"))).hasSize(5);
        assertThat(sortedLines(dir.resolve("s/sample.csv")))
                .isEqualTo(sortedLines(sampleAgain(data, "label", 42)));
    }

    @Test
    void aRareClassIsKeptEvenWhenItsShareRoundsToZero() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("common", 9990L);
        counts.put("rare", 10L);

        Map<String, Long> quotas = DataSampler.Quotas.proportional(counts, 20, dir, "y");

        assertThat(quotas).containsEntry("rare", 1L).containsEntry("common", 19L);
    }

    @Test
    void smallSourcesAreTakenWhole() throws Exception {
        Path data = TestPython.trainingCsv(dir, 30);
        assertThat(DataSampler.sample(data, 100, null, 1, dir.resolve("a")).rows()).isEqualTo(30);
        assertThat(DataSampler.sample(data, 100, "label", 1, dir.resolve("b")).rowsPerLabel())
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 18L, "b", 9L, "c", 3L));
    }

    @Test
    void parquetAndJsonLinesStayInTheirFormat() throws Exception {
        Path csv = TestPython.trainingCsv(dir, 1000);
        Path parquet = dir.resolve("train.parquet");
        Path jsonl = dir.resolve("train.jsonl");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            sql.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + parquet + "' (FORMAT parquet)");
            sql.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + jsonl + "' (FORMAT json)");
        }

        assertThat(DataSampler.sample(parquet, 10, "label", 1, dir.resolve("p")).rows()).isEqualTo(10);
        assertThat(Files.exists(dir.resolve("p/sample.parquet"))).isTrue();
        assertThat(DataSampler.sample(jsonl, 10, null, 1, dir.resolve("j")).rows()).isEqualTo(10);
        assertThat(Files.readAllLines(dir.resolve("j/sample.jsonl"))).hasSize(10).allMatch(l -> l.startsWith("{"));
    }

    @Test
    void badDataIsBadInputNamingTheFile() throws Exception {
        Path data = TestPython.trainingCsv(dir, 100);
        Path empty = Files.writeString(dir.resolve("empty.csv"), "x1,x2,label\n");
        Path unknown = Files.writeString(dir.resolve("train.xlsx"), "not really");
        Path broken = Files.writeString(dir.resolve("broken.parquet"), "this is not parquet");

        assertThatThrownBy(() -> DataSampler.sample(dir.resolve("nope.csv"), 10, null, 1, dir.resolve("s")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("nope.csv");
        assertThatThrownBy(() -> DataSampler.sample(empty, 10, null, 1, dir.resolve("s")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no rows");
        assertThatThrownBy(() -> DataSampler.sample(unknown, 10, null, 1, dir.resolve("s")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> DataSampler.sample(broken, 10, null, 1, dir.resolve("s")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("broken.parquet");
        assertThatThrownBy(() -> DataSampler.sample(data, 10, "target", 1, dir.resolve("s")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'target' not found").hasMessageContaining("label");
        assertThatThrownBy(() -> DataSampler.sample(data, 10, "x1", 1, dir.resolve("s")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("100 distinct values");
        assertThat(Files.exists(dir.resolve("s/sample.csv"))).isFalse();
    }

    private Path sampleAgain(Path data, String label, long seed) {
        Path target = dir.resolve("again");
        DataSampler.sample(data, 50, label, seed, target);
        return target.resolve("sample.csv");
    }

    private static List<String> sortedLines(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        return java.util.stream.Stream.concat(lines.stream().limit(1), lines.stream().skip(1).sorted()).toList();
    }
}
