package io.jenkins.plugins.mlops.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.Redaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    @Test
    void writeRedactedMasksEveryStringValueAndWritesTheRestAsWriteDoes() {
        String secret = "hub-" + UUID.randomUUID();
        Redaction.remember(secret);

        String redacted = Json.writeRedacted(valueHolding(secret));

        assertThat(redacted).doesNotContain(secret).isEqualTo(Json.write(valueHolding(Redaction.MASK)));
    }

    /** A string where serializers hand it over as a String, a char[], inside lists, maps and records, beside numbers. */
    private static Map<String, Object> valueHolding(String text) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("plain", "nothing to hide");
        value.put("string", "pushing to " + text);
        value.put("chars", ("id " + text).toCharArray());
        value.put("nested", List.of(Map.of("url", "https://hub.example/" + text), List.of(text, 1.5, Double.NaN)));
        value.put("check", Check.of("custom", text, Status.FAIL, text, 0.25, "saw " + text));
        value.put("empty", List.of());
        value.put("at", Instant.parse("2026-11-26T08:00:00Z"));
        return value;
    }
}
