package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.io.DataFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset is read as what it is: exactly the named file, JSON arrays as records, the delimiter the user gives. */
class DataSourceTest {
    @TempDir
    Path dir;

    private static Profile profile(Path file, Character delimiter) {
        return DataProfiling.profile(file.toString(), delimiter, EngineSettings.DEFAULT, message -> { });
    }

    @Test
    void aNameWithGlobCharactersReadsExactlyThatFile() throws Exception {
        Path bracketed = TestData.write(dir, "d[1].csv", "a\n1\n");
        TestData.write(dir, "d1.csv", "a\n2\n3\n");
        Path star = TestData.write(dir, "st*r?.csv", "a\n4\n");
        TestData.write(dir, "stXrY.csv", "a\n5\n6\n7\n");

        Profile profile = profile(bracketed, null);

        assertThat(profile.rowCount()).isEqualTo(1);
        assertThat(profile.dataFingerprint()).isEqualTo("sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(bracketed))));
        assertThat(profile(star, null).rowCount()).isEqualTo(1);
    }

    @Test
    void customChecksOverAGlobNamedFileReadIt() throws Exception {
        Path data = TestData.write(dir, "d[1].csv", "a\n1\n");
        TestData.write(dir, "d1.csv", "a\n2\n3\n");
        Path schema = TestData.write(dir, "schema.yaml", "columns:\n  a: {type: integer}\nchecks:\n  - name: all\n    sql: SELECT * FROM data\n");

        ValidationResult result = new DataValidator(m -> { })
                .validate(new ValidationConfig(data.toString(), null, null, schema.toString(), EngineSettings.DEFAULT));

        assertThat(result.checks()).filteredOn(c -> c.name().equals("sql:all")).singleElement()
                .satisfies(c -> assertThat(c.observed()).isEqualTo("1 violating rows"));
    }

    @Test
    void aJsonArrayIsReadAsRecords() {
        Path array = TestData.write(dir, "records.json", "[\n  {\"a\": 1, \"b\": \"x\"},\n  {\"a\": 2, \"b\": \"y\"}\n]\n");
        Path lines = TestData.write(dir, "lines.json", "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\"}\n");

        assertThat(DataSource.resolve(array.toString()).format()).isEqualTo(DataFormat.JSON_ARRAY);
        assertThat(profile(array, null).rowCount()).isEqualTo(2);
        assertThat(profile(array, null).columns()).extracting(ColumnProfile::name).containsExactly("a", "b");
        assertThat(profile(lines, null).rowCount()).isEqualTo(2);
        assertThat(profile(lines, null).columns()).extracting(ColumnProfile::name).containsExactly("a", "b");
    }

    @Test
    void theDelimiterTheUserGivesIsUsedAndNotSecondGuessed() {
        Path semicolons = TestData.write(dir, "semi.csv", "id;age\n1;30\n2;40\n");
        Path oneColumn = TestData.write(dir, "notes.csv", "note;comment\nhello\nworld\n");

        assertThat(profile(semicolons, ';').columns()).extracting(ColumnProfile::name).containsExactly("id", "age");
        assertThat(profile(oneColumn, ',').columns()).extracting(ColumnProfile::name).containsExactly("note;comment");
    }
}
