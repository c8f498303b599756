package io.jenkins.plugins.mlops.deploy.payload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload shapes of MLflow's /invocations and KServe's v1 and v2 protocols, as their servers send them. */
class PredictionsTest {

    private static JsonNode json(String text) {
        return Predictions.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void countsTheRowsOfEveryMlflowRequestFormat() {
        assertThat(Predictions.requestRows(json("{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, 2], [3, 4], [5, 6]]}}")))
                .isEqualTo(3);
        assertThat(Predictions.requestRows(json("{\"dataframe_records\": [{\"a\": 1}, {\"a\": 2}]}"))).isEqualTo(2);
        assertThat(Predictions.requestRows(json("{\"instances\": [[1, 2], [3, 4]]}"))).isEqualTo(2);
        assertThat(Predictions.requestRows(json("{\"inputs\": {\"a\": [1, 2, 3, 4], \"b\": [5, 6, 7, 8]}}"))).isEqualTo(4);
        assertThat(Predictions.requestRows(json("{\"inputs\": [[1, 2]]}"))).isEqualTo(1);
    }

    @Test
    void countsTheRowsOfAKserveV2TensorByItsShape() {
        String v2 = "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [2, 4], \"datatype\": \"FP32\","
                + " \"data\": [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6]}]}";
        assertThat(Predictions.requestRows(json(v2))).isEqualTo(2);
        assertThat(Predictions.requestRowValues(json(v2))).hasSize(2);
        assertThat(Predictions.requestRowValues(json(v2)).get(1).toString()).isEqualTo("[6.0,3.4,4.5,1.6]");
    }

    @Test
    void readsPredictionsFromMlflowAndKserveV1Answers() {
        assertThat(Predictions.numericPredictions("{\"predictions\": [0, 1, 1]}".getBytes())).containsExactly(0, 1, 1);
        assertThat(Predictions.numericPredictions("[0.5, 0.25]".getBytes())).containsExactly(0.5, 0.25);
        // A multi-output pyfunc answers column-wise: rows are rebuilt, the first numeric output counts.
        List<JsonNode> rows = Predictions.responseRows(json("{\"predictions\": {\"score\": [0.1, 0.9], \"label\": [\"a\", \"b\"]}}"));
        assertThat(rows).hasSize(2);
        assertThat(Predictions.numeric(rows.get(1))).hasValue(0.9);
        // Labels are rows too, without a number.
        List<JsonNode> labels = Predictions.responseRows(json("{\"predictions\": [\"setosa\", \"virginica\"]}"));
        assertThat(labels).extracting(JsonNode::asText).containsExactly("setosa", "virginica");
        assertThat(Predictions.numeric(labels.get(0))).isEmpty();
    }

    @Test
    void readsTheFirstOutputOfAKserveV2AnswerRowByRow() {
        String v2 = "{\"model_name\": \"m\", \"outputs\": [{\"name\": \"output-0\", \"shape\": [3], \"datatype\": \"INT64\","
                + " \"data\": [1, 0, 1]}]}";
        assertThat(Predictions.numericPredictions(v2.getBytes())).containsExactly(1, 0, 1);
        String probabilities = "{\"outputs\": [{\"name\": \"p\", \"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [0.9, 0.1, 0.2, 0.8]}]}";
        List<JsonNode> rows = Predictions.responseRows(json(probabilities));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).toString()).isEqualTo("[0.2,0.8]");
    }

    @Test
    void malformedOrUnknownBodiesHaveNoRows() {
        assertThat(Predictions.parse("{not json".getBytes())).isNull();
        assertThat(Predictions.parse(new byte[0])).isNull();
        assertThat(Predictions.numericPredictions("{not json".getBytes())).isEmpty();
        assertThat(Predictions.numericPredictions("{\"error_code\": \"BAD_REQUEST\"}".getBytes())).isEmpty();
        assertThat(Predictions.requestRows(json("{\"something\": 1}"))).isEqualTo(-1);
        assertThat(Predictions.requestRows(json("[1, 2]"))).isEqualTo(-1);
        assertThat(Predictions.numericPredictions("{\"predictions\": [1e400, \"NaN\", 2]}".getBytes())).containsExactly(2);
    }
}
