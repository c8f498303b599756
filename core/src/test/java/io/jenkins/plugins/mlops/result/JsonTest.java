package io.jenkins.plugins.mlops.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void envelopeComesFirstInSnakeCaseThenTheStepsOwnFields() throws Exception {
        SampleResult result = SampleResult.of(Check.of("row_count", null, Status.PASS, 10, ">= 1", "ok"));

        JsonNode json = Json.mapper().readTree(Json.write(result));

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("schema", "step", "status", "started", "duration_s", "summary", "checks",
                "rows_scanned");
        assertThat(json.get("started").asText()).isEqualTo("2026-11-26T08:00:00Z");
        assertThat(json.get("checks").get(0).get("column").isNull()).isTrue();
        assertThat(json.get("checks").get(0).get("observed").asText()).isEqualTo("10");
    }

    @Test
    void resultsReadBackEqual() throws Exception {
        SampleResult result = SampleResult.of(Check.of("nulls", "age", Status.WARN, 0.2, "<= 0.1", "too many"));

        SampleResult read = Json.mapper().readValue(Json.write(result), SampleResult.class);

        assertThat(read).isEqualTo(result);
    }

    @Test
    void stepStatusIsTheWorstOfItsChecks() {
        assertThat(Status.worstOf(List.of())).isEqualTo(Status.PASS);
        assertThat(Status.worstOf(List.of(
                Check.of("a", null, Status.WARN, 1, 1, null),
                Check.of("b", null, Status.PASS, 1, 1, null)))).isEqualTo(Status.WARN);
        assertThat(Status.PASS.worse(Status.ERROR)).isEqualTo(Status.ERROR);
        assertThat(Status.FAIL.worse(Status.WARN)).isEqualTo(Status.FAIL);
    }
}
