package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.result.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {
    private static final String CSV = ProfilerDatasets.CSV;

    @TempDir
    Path dir;

    private static Profile profile(Path path) {
        return DataProfiling.profile(path.toString(), EngineSettings.DEFAULT, message -> { });
    }

    @Test
    void countsNullsNanInfinitiesAndEmptyStrings() {
        Profile profile = profile(TestData.write(dir, "t.csv", CSV));

        assertThat(profile.rowCount()).isEqualTo(5);
        ColumnProfile age = profile.column("age").orElseThrow();
        assertThat(age.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(age.nulls()).isEqualTo(1);
        assertThat(age.numeric().min()).isEqualTo(28);
        assertThat(age.numeric().max()).isEqualTo(51);
        assertThat(age.numeric().mean()).isCloseTo(39.5, within(1e-9));
        assertThat(age.distinct()).as("exact from one-wide integer bins").isEqualTo(4L);
        ColumnProfile score = profile.column("score").orElseThrow();
        assertThat(score.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(score.nan()).isEqualTo(1);
        assertThat(score.infinite()).isEqualTo(1);
        assertThat(score.numeric().count()).isEqualTo(3);
        assertThat(score.numeric().max()).isEqualTo(2.5);
        assertThat(score.histogram().total()).isEqualTo(3);
        ColumnProfile plan = profile.column("plan").orElseThrow();
        assertThat(plan.nulls()).isEqualTo(1);
        assertThat(plan.empty()).isEqualTo(1);
        assertThat(plan.categories().counts()).containsEntry("basic", 2L).containsEntry("pro", 1L);
        assertThat(plan.missingFraction()).isCloseTo(0.4, within(1e-9));
        assertThat(profile.column("signup").orElseThrow().type()).isEqualTo(ColumnType.DATE);
        assertThat(profile.column("signup").orElseThrow().minValue()).isEqualTo("2024-01-05");
        assertThat(profile.column("active").orElseThrow().categories().counts()).containsEntry("true", 3L);
    }

    /** bench/validate/bins_sql.py replays the statistics scan it reads from this log. */
    @Test
    void logsEachQuerysSqlAtFine() {
        Logger log = Logger.getLogger(ScanEngine.class.getName());
        List<String> queries = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                queries.add(String.valueOf(record.getParameters()[0]));
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        Level before = log.getLevel();
        log.setLevel(Level.FINE);
        log.addHandler(handler);
        try {
            profile(TestData.write(dir, "t.csv", CSV));
        } finally {
            log.removeHandler(handler);
            log.setLevel(before);
        }

        assertThat(queries).anySatisfy(sql -> assertThat(sql).startsWith("SELECT count(*) AS a1").contains("\nFROM read_csv("));
    }

    @Test
    void blankMeansOnlyUnicodeSpaceSeparatorsAsTrimWouldStrip() {
        // blank: spaces, a no-break and an ideographic space; not blank: a tab (a control character) and text in spaces
        Path file = TestData.write(dir, "blank.csv", "id,note\n1,\" \"\n2,\"\u00a0\u3000 \"\n3,\u3000\n4,\"\t\"\n5,\" x \"\n6,\n");

        ColumnProfile note = profile(file).column("note").orElseThrow();

        assertThat(note.empty()).isEqualTo(3);
        assertThat(note.nulls()).isEqualTo(1);
    }

    @Test
    void blankFreeTextIsCountedByTheScanAsByTheValueCounts() {
        // Free text (too many values to count each) is tested per row by the prefiltered regex; the
        // same values in a column of few values are counted and tested in Java: both must agree.
        String[] blank = {"", " ", "\u00a0", "\u1680", "\u2009\u2009", "\u202f", "\u205f", "\u3000 \u00a0"};
        String[] notBlank = {"\t", " x", "\u00a0y", "привет", "東京", "!", "\u3001", "\u180e"};
        StringBuilder csv = new StringBuilder("id,text,few\n");
        for (int i = 0; i < 2_000; i++) {
            String special = i % 2 == 0 ? blank[i / 2 % blank.length] : notBlank[i / 2 % notBlank.length];
            String text = i % 5 == 0 ? special : "note " + i;
            csv.append(i).append(",\"").append(text).append("\",\"").append(special).append("\"\n");
        }
        Profile profile = profile(TestData.write(dir, "blank-text.csv", csv.toString()));

        ColumnProfile text = profile.column("text").orElseThrow();
        ColumnProfile few = profile.column("few").orElseThrow();
        assertThat(text.categories()).as("free text, not counted per value").isNull();
        assertThat(few.categories()).as("few values, counted").isNotNull();
        // every fifth row is special, half of those blank; the empty string reads as NULL in CSV
        assertThat(text.empty() + text.nulls()).isEqualTo(200);
        assertThat(few.empty() + few.nulls()).isEqualTo(1_000);
    }

    @Test
    void csvParquetAndJsonLinesGiveTheSameProfile() {
        Path csv = TestData.write(dir, "t.csv", CSV.replace("NaN", "").replace("inf", "3.5"));
        String read = "SELECT * FROM read_csv('" + csv + "')";
        Path parquet = TestData.copy(read, dir.resolve("t.parquet"), "FORMAT parquet");
        Path json = TestData.copy(read, dir.resolve("t.jsonl"), "FORMAT json");

        Profile fromCsv = profile(csv);
        for (Profile other : new Profile[] {profile(parquet), profile(json)}) {
            assertThat(other.rowCount()).isEqualTo(fromCsv.rowCount());
            for (ColumnProfile column : fromCsv.columns()) {
                ColumnProfile same = other.column(column.name()).orElseThrow();
                assertThat(same.type()).as(column.name()).isEqualTo(column.type());
                assertThat(same.nulls()).as(column.name()).isEqualTo(column.nulls());
                assertThat(same.numeric()).as(column.name()).isEqualTo(column.numeric());
                assertThat(same.histogram()).as(column.name()).isEqualTo(column.histogram());
                assertThat(same.categories()).as(column.name()).isEqualTo(column.categories());
            }
        }
    }

    @Test
    void sequentialKeysAndUniqueStringsAreIdLikeButMeasurementsAreNot() {
        Path file = TestData.copy("SELECT i AS account_number, 'C' || lpad(CAST(i AS VARCHAR), 7, '0') AS customer, "
                + "CAST(i * 7919 % 1000003 AS BIGINT) AS income, CAST(i % 7 AS INTEGER) AS weekday, random() AS score "
                + "FROM range(5000) t(i)", dir.resolve("ids.parquet"), "FORMAT parquet");

        Profile profile = profile(file);

        assertThat(profile.column("account_number").orElseThrow().idLike()).isTrue();
        assertThat(profile.column("customer").orElseThrow().idLike()).isTrue();
        assertThat(profile.column("income").orElseThrow().idLike()).as("unique but spread like a measurement").isFalse();
        assertThat(profile.column("weekday").orElseThrow().idLike()).isFalse();
        assertThat(profile.column("score").orElseThrow().idLike()).as("floats are measurements").isFalse();
        assertThat(profile.column("account_number").orElseThrow().histogram()).as("IDs get no histogram").isNull();
    }

    @Test
    void profileIsBoundedByColumnsNotRows() {
        Path small = TestData.churn(dir.resolve("small.parquet"), 2_000, 0.1, 0, 0);
        Path large = TestData.churn(dir.resolve("large.parquet"), 200_000, 0.1, 0, 0);

        int smallSize = Json.write(profile(small)).length();
        int largeSize = Json.write(profile(large)).length();

        assertThat(largeSize).isLessThan(2 * smallSize + 20_000);
        assertThat(largeSize).isLessThan(100_000);
    }

    @Test
    void fingerprintIsTheSha256OfTheFileAndCoversEveryPartition() throws Exception {
        Path file = TestData.write(dir, "t.csv", CSV);
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(profile(file).dataFingerprint()).isEqualTo(expected);

        TestData.write(dir, "parts/a.csv", "x\n1\n");
        TestData.write(dir, "parts/b.csv", "x\n2\n");
        String before = profile(dir.resolve("parts")).dataFingerprint();
        TestData.write(dir, "parts/b.csv", "x\n3\n");
        assertThat(profile(dir.resolve("parts")).dataFingerprint()).startsWith("sha256:").isNotEqualTo(before);
    }

    @Test
    void directoryOfPartitionsIsOneDataset() {
        TestData.write(dir, "parts/year=2024/a.csv", "x,y\n1,a\n2,b\n");
        TestData.write(dir, "parts/year=2025/b.csv", "x,y\n3,a\n");
        TestData.write(dir, "parts/_SUCCESS", "");

        Profile profile = profile(dir.resolve("parts"));

        assertThat(profile.rowCount()).isEqualTo(3);
        assertThat(profile.column("x").orElseThrow().numeric().max()).isEqualTo(3);
    }
}
