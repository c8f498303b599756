package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A CSV file sniffed once and read with its columns pinned gives what sniffing it on every scan gives. */
class CsvSnifferTest {
    @TempDir
    static Path dir;

    private static Profile profile(ScanEngine engine, DataSource source) {
        return new Profiler(engine, line -> { }).profile(source);
    }

    static Stream<Arguments> pairs() {
        return ProfilerDatasets.pairs(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void pinnedColumnsGiveTheProfileThatSniffingGives(String name, Path reference, Path current) {
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            for (Path data : new Path[] {reference, current}) {
                Path file = data.toString().endsWith(".csv") ? data
                        : TestData.copy("SELECT * FROM " + DataSource.resolve(data.toString()).relation(),
                                dir.resolve(name.replaceAll("\\W", "_") + "-" + data.getFileName() + ".csv"), "FORMAT csv, HEADER");
                DataSource sniffedEachTime = DataSource.resolve(file.toString());
                DataSource pinned = CsvSniffer.pin(engine, sniffedEachTime);

                assertThat(pinned.relation()).as(file + " read with pinned columns").contains("auto_detect = false");
                assertThat(Json.write(profile(engine, pinned))).isEqualTo(Json.write(profile(engine, sniffedEachTime)));
            }
        }
    }

    @Test
    void pinsTheDateAndTimestampFormatsTheSnifferFoundAndReadsWindowsLineEnds() throws Exception {
        Path file = Files.writeString(Files.createDirectories(dir.resolve("exports[2024]")).resolve("dates.csv"),
                "id,signed,seen,note\r\n1,03/25/2024,25.03.2024 10:00:00,\"a, b\"\r\n2,12/01/2023,26.03.2024 11:30:00,\r\n");
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            DataSource pinned = CsvSniffer.pin(engine, DataSource.resolve(file.toString()));

            assertThat(pinned.csvColumns().types()).containsExactly("BIGINT", "DATE", "TIMESTAMP", "VARCHAR");
            assertThat(pinned.csvColumns().dateFormat()).isEqualTo("%m/%d/%Y");
            Profile profile = profile(engine, pinned);
            assertThat(profile.rowCount()).isEqualTo(2);
            assertThat(profile.column("signed").orElseThrow().minValue()).isEqualTo("2023-12-01");
            assertThat(profile.column("seen").orElseThrow().maxValue()).startsWith("2024-03-26 11:30:00");
            assertThat(profile.column("note").orElseThrow().nulls()).isEqualTo(1);
        }
    }

    @Test
    void aValueBeyondTheSniffedRowsThatDoesNotFitItsTypeIsStillBadInputNamingItsLine() throws Exception {
        String rows = IntStream.range(0, 30_000).mapToObj(i -> i + "," + i % 7).collect(Collectors.joining("\n"));
        Path file = Files.writeString(dir.resolve("late.csv"), "id,amount\n" + rows + "\n30000,abc\n");
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            DataSource pinned = CsvSniffer.pin(engine, DataSource.resolve(file.toString()));

            assertThatThrownBy(() -> profile(engine, pinned)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("line 30002").hasMessageContaining("\"abc\"").hasMessageContaining("amount");
        }
    }

    @Test
    void leavesSeveralFilesAndOtherFormatsToTheReader() throws Exception {
        Path parts = Files.createDirectories(dir.resolve("parts"));
        Files.writeString(parts.resolve("a.csv"), "id,x\n1,2\n");
        Files.writeString(parts.resolve("b.csv"), "id,x\n3,4\n");
        Path json = Files.writeString(dir.resolve("rows.jsonl"), "{\"id\": 1}\n");
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            assertThat(CsvSniffer.pin(engine, DataSource.resolve(parts.toString())).csvColumns()).isNull();
            assertThat(CsvSniffer.pin(engine, DataSource.resolve(json.toString())).csvColumns()).isNull();
        }
    }
}
