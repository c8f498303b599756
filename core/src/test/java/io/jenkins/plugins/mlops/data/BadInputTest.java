package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.CsvDiagnosis;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed data is bad input naming the file and line, never rows silently skipped. */
class BadInputTest {
    @TempDir
    Path dir;

    private static String rows(int n) {
        StringBuilder csv = new StringBuilder("id,amount,plan\n");
        for (int i = 0; i < n; i++) {
            csv.append(i).append(',').append(i * 1.5).append(",basic\n");
        }
        return csv.toString();
    }

    private Profile profile(Path file) {
        return DataProfiling.profile(file.toString(), settings(), message -> { });
    }

    /** The engine under test; {@link ArrowBadInputTest} runs every case on the arrow engine. */
    EngineSettings settings() {
        return EngineSettings.DEFAULT;
    }

    @Test
    void missingFileNamesIt() {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> profile(missing)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not found").hasMessageContaining(missing.toString());
    }

    @Test
    void emptyFileIsBadInput() {
        Path empty = TestData.write(dir, "empty.csv", "");
        assertThatThrownBy(() -> profile(empty)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("empty");
    }

    @Test
    void headerOnlyFileHasNoDataRows() {
        Path header = TestData.write(dir, "header.csv", "id,amount,plan\n");
        assertThatThrownBy(() -> profile(header)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(header.toString()).hasMessageContaining("no data rows");
    }

    @Test
    void raggedRowNearTheTopNamesItsLine() {
        Path ragged = TestData.write(dir, "ragged.csv", "a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n");
        assertThatThrownBy(() -> profile(ragged)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(ragged.toString()).hasMessageContaining("line 3").hasMessageContaining("ragged row");
    }

    @Test
    void raggedRowAfterOneGoodRowIsNotTakenForTheHeader() {
        Path ragged = TestData.write(dir, "ragged2.csv", "a,b\n1,2\n3,4,5\n");
        assertThatThrownBy(() -> profile(ragged)).isInstanceOf(BadInputException.class).hasMessageContaining("line 3");
    }

    @Test
    void rowStartingWithHashIsDataNotAComment() {
        Profile profile = profile(TestData.write(dir, "hash.csv", "a,b\n1,2\n#3,4\n5,6\n"));
        assertThat(profile.rowCount()).isEqualTo(3);
    }

    @Test
    void raggedRowFarDownNamesItsLine() {
        Path ragged = TestData.write(dir, "late.csv", rows(30_000) + "1,2,basic,extra\n" + "3,4,basic\n");
        assertThatThrownBy(() -> profile(ragged)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(ragged.toString()).hasMessageContaining("line 30002").hasMessageContaining("ragged row");
    }

    @Test
    void unterminatedQuoteNearTheTopNamesItsLine() {
        Path quote = TestData.write(dir, "quote.csv", "a,b,c\n1,2,3\n1,\"x,3\n4,5,6\n");
        assertThatThrownBy(() -> profile(quote)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(quote.toString()).hasMessageContaining("line 3").hasMessageContaining("unterminated quote");
    }

    @Test
    void unterminatedQuoteFarDownNamesItsLine() {
        Path quote = TestData.write(dir, "latequote.csv", rows(30_000) + "7,\"8,basic\n" + "3,4,basic\n");
        assertThatThrownBy(() -> profile(quote)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(quote.toString()).hasMessageContaining("line 30002");
    }

    @Test
    void valueOfAnotherTypeFarDownNamesLineAndColumn() {
        Path mixed = TestData.write(dir, "mixed.csv", rows(30_000) + "x,4,basic\n");
        assertThatThrownBy(() -> profile(mixed)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 30002").hasMessageContaining("column id").hasMessageContaining("\"x\"");
    }

    @Test
    void malformedJsonLinesNamesTheLine() {
        Path json = TestData.write(dir, "bad.jsonl", "{\"a\": 1}\n{\"a\": 2,\n{\"a\": 3}\n");
        assertThatThrownBy(() -> profile(json)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(json.toString()).hasMessageContaining("line").hasMessageContaining("malformed JSON");
    }

    @Test
    void fileThatIsNotParquetIsBadInput() {
        Path fake = TestData.write(dir, "fake.parquet", "id,amount\n1,2\n");
        assertThatThrownBy(() -> profile(fake)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(fake.toString()).hasMessageContaining("Parquet");
    }

    @Test
    void unknownExtensionIsBadInput() {
        Path unknown = TestData.write(dir, "data.xlsx", "x");
        assertThatThrownBy(() -> profile(unknown)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cannot tell the format");
    }

    @Test
    void diagnosisFindsStrayQuotesAndAcceptsQuotedNewlines() throws Exception {
        assertThat(CsvDiagnosis.scan(new java.io.StringReader("a,b\n\"x\ny\",2\n3,4\n"), ',')).isEmpty();
        assertThat(CsvDiagnosis.scan(new java.io.StringReader("a,b\n1,ab\"c\n"), ',')).hasValueSatisfying(
                problem -> assertThat(problem).startsWith("line 2").contains("quote"));
        assertThat(CsvDiagnosis.scan(new java.io.StringReader("a,b\n\"x\ny\",2\n3,4,5\n"), ',')).hasValueSatisfying(
                problem -> assertThat(problem).startsWith("line 4").contains("3 fields where the header has 2"));
    }
}
