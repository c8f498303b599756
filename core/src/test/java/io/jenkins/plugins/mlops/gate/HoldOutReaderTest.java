package io.jenkins.plugins.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and pairing prediction files: formats, ids, positions, and what fails closed. */
class HoldOutReaderTest {
    @TempDir
    Path dir;

    @Test
    void shuffledFilesInOtherFormatsJoinedByIdGiveTheSameResultAsOrderedOnes() {
        Path[] ordered = PredictionFiles.regression(dir.resolve("ordered"), 400, 2, 1.5, 0, 5, false);
        Path[] shuffled = PredictionFiles.regression(dir.resolve("shuffled"), 400, 2, 1.5, 0, 5, true);
        Path parquet = PredictionFiles.convert(shuffled[0], dir.resolve("baseline.parquet"));
        Path jsonl = PredictionFiles.convert(shuffled[1], dir.resolve("candidate.jsonl"));

        GateResult byPosition = ModelGate.run(regression(ordered[0], ordered[1], null), line -> { });
        GateResult byId = ModelGate.run(regression(parquet, jsonl, "id"), line -> { });

        assertThat(byId.rows()).isEqualTo(400);
        assertThat(byId.metrics()).isEqualTo(byPosition.metrics());
        assertThat(byId.decision()).isEqualTo(Decision.PASS);
    }

    @Test
    void aDuplicatedIdIsBadInputNamingTheId() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "id,y,pred", List.of("a,1,1", "b,2,2", "c,3,3"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "id,y,pred", List.of("a,1,1", "b,2,2", "b,2,2"));
        assertThatThrownBy(() -> ModelGate.run(regression(base, cand, "id"), line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("id 'b' appears 2 times").hasMessageContaining(cand.toString());
    }

    @Test
    void anIdMissingOnOneSideIsBadInputNamingTheId() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "id,y,pred", List.of("1,1,1", "2,2,2", "3,3,3"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "id,y,pred", List.of("1,1,1", "2,2,2", "4,3,3"));
        assertThatThrownBy(() -> ModelGate.run(regression(base, cand, "id"), line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("id '4' is in the candidate file").hasMessageContaining("not in the baseline file");
    }

    @Test
    void withoutIdsTheRowCountsMustMatch() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,pred", List.of("1,1", "2,2", "3,3"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "y,pred", List.of("1,1", "2,2"));
        assertThatThrownBy(() -> ModelGate.run(regression(base, cand, null), line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("has 3 rows").hasMessageContaining("has 2").hasMessageContaining("--id");
    }

    @Test
    void filesThatDisagreeOnTheLabelAreNotTheSameHoldOut() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "id,y,pred", List.of("1,1,1", "2,2,2", "3,3,3"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "id,y,pred", List.of("1,1,1", "2,5,2", "3,3,3"));
        assertThatThrownBy(() -> ModelGate.run(regression(base, cand, "id"), line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("disagree on label 'y'").hasMessageContaining("id '2'");
    }

    @Test
    void idsOfDifferentTypesJoinAsText() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "id,y,pred", List.of("1,1,1.5", "2,2,2", "3,3,3"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "id,y,pred", List.of("\"3\",3,3", "\"1\",1,1", "x2,2,2"));
        // "x2" makes the candidate's ids text; "2" has no partner, which must be reported, not dropped.
        assertThatThrownBy(() -> ModelGate.run(regression(base, cand, "id"), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("id 'x2'");
    }

    @Test
    void missingFilesUnknownFormatsAndEmptyFilesAreBadInput() {
        Path good = PredictionFiles.csv(dir.resolve("good.csv"), "y,pred", List.of("1,1"));
        Path empty = PredictionFiles.csv(dir.resolve("empty.csv"), "y,pred", List.of());
        Path excel = PredictionFiles.csv(dir.resolve("data.xlsx"), "y,pred", List.of("1,1"));
        assertThatThrownBy(() -> ModelGate.run(regression(dir.resolve("nope.csv"), good, null), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("nope.csv").hasMessageContaining("not found");
        assertThatThrownBy(() -> ModelGate.run(regression(good, empty, null), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no rows");
        assertThatThrownBy(() -> ModelGate.run(regression(good, excel, null), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("unknown prediction file format");
    }

    @Test
    void malformedFilesAreBadInputNamingTheFile() throws Exception {
        Path good = PredictionFiles.csv(dir.resolve("good.csv"), "y,pred", List.of("1,1", "2,2"));
        Path ragged = PredictionFiles.csv(dir.resolve("ragged.csv"), "y,pred", List.of("1,1", "2,2,3,4", "\"3,3"));
        Path garbage = Files.write(dir.resolve("garbage.parquet"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> ModelGate.run(regression(good, ragged, null), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("ragged.csv");
        assertThatThrownBy(() -> ModelGate.run(regression(garbage, good, null), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("garbage.parquet")
                .hasMessageContaining("cannot read the baseline predictions");
    }

    @Test
    void aMissingColumnFailsTheGateClosedNamingTheColumn() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,prediction", List.of("1,1", "2,2"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "y,pred", List.of("1,1", "2,2"));
        GateResult result = ModelGate.run(regression(base, cand, null), line -> { });
        assertThat(result.decision()).isEqualTo(Decision.FAIL);
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.checks()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(Status.ERROR);
            assertThat(check.message()).contains("baseline file", "no prediction column 'pred'", "prediction");
        });
        assertThat(result.summary()).contains("fails closed");
    }

    @Test
    void nanInfiniteAndEmptyValuesFailTheGateClosedNamingTheFirstRow() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "id,y,pred", List.of("a,1,1", "b,2,nan", "c,3,3", "d,4,4"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "id,y,pred", List.of("a,1,1", "b,2,2", "c,3,inf", "d,4,"));
        GateResult result = ModelGate.run(regression(base, cand, "id"), line -> { });
        assertThat(result.decision()).isEqualTo(Decision.FAIL);
        assertThat(result.checks()).extracting(check -> check.status()).containsOnly(Status.ERROR);
        assertThat(result.checks()).extracting(check -> check.message()).anySatisfy(message ->
                assertThat(message).contains("candidate prediction column 'pred' has 2", "first at id 'c'"))
                .anySatisfy(message -> assertThat(message).contains("baseline prediction", "first at id 'b'"));
    }

    @Test
    void textInARegressionColumnFailsClosed() {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,pred", List.of("1,1", "2,two"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "y,pred", List.of("1,1", "2,2"));
        GateResult result = ModelGate.run(regression(base, cand, null), line -> { });
        assertThat(result.decision()).isEqualTo(Decision.FAIL);
        assertThat(result.checks().get(0).message()).contains("VARCHAR", "must be numbers");
    }

    @Test
    void tooManySliceValuesIsBadInput() {
        Path[] files = PredictionFiles.regression(dir, 300, 1, 1, 0, 3, false);
        GateConfig config = GateConfig.builder(new BaselinePredictions(files[0].toString()), files[1].toString(), "y", "pred")
                .id("id").slices(List.of("y")).resamples(100).build();
        assertThatThrownBy(() -> ModelGate.run(config, line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("more than 200 values");
    }

    @Test
    void integerAndDecimalClassesAreTheSameClass() throws Exception {
        Path base = PredictionFiles.csv(dir.resolve("b.csv"), "y,pred", List.of("1,1.0", "0,0.0", "1,0.0", "0,1.0"));
        Path cand = PredictionFiles.csv(dir.resolve("c.csv"), "y,pred", List.of("1,1", "0,0", "1,1", "0,0"));
        GateConfig config = GateConfig.builder(new BaselinePredictions(base.toString()), cand.toString(), "y", "pred")
                .metrics(List.of(Metric.ACCURACY)).resamples(100).build();
        GateResult result = ModelGate.run(config, line -> { });
        assertThat(result.metrics().get(0).baseline()).isEqualTo(0.5);
        assertThat(result.metrics().get(0).candidate()).isEqualTo(1.0);
        assertThat(Files.exists(base)).isTrue();
    }

    private static GateConfig regression(Path baseline, Path candidate, String id) {
        return GateConfig.builder(new BaselinePredictions(baseline.toString()), candidate.toString(), "y", "pred")
                .id(id).task(Task.REGRESSION).resamples(200).build();
    }
}
