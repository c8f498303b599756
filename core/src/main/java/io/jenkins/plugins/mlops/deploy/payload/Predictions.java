package io.jenkins.plugins.mlops.deploy.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the rows out of model-server payloads, so that two models' answers can be compared row by
 * row within a batch: MLflow's {@code /invocations} (requests {@code dataframe_split},
 * {@code dataframe_records}, {@code instances}, {@code inputs}; responses {@code predictions} or a
 * bare list) and KServe's v1 ({@code instances}/{@code predictions}) and v2 ({@code inputs}/
 * {@code outputs} tensors with a shape) protocols.
 */
public final class Predictions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Predictions() {}

    /** Parses a body, or null when it is not JSON. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The predicted rows of a response, empty when the body has none this class knows. */
    public static List<JsonNode> responseRows(JsonNode response) {
        if (response == null) {
            return List.of();
        }
        if (response.isArray()) {
            return elements(response);
        }
        JsonNode predictions = response.get("predictions");
        if (predictions != null) {
            return predictions.isArray() ? elements(predictions) : columnsToRows(predictions);
        }
        JsonNode outputs = response.get("outputs");
        if (outputs != null && outputs.isArray() && !outputs.isEmpty()) {
            return tensorRows(outputs.get(0));
        }
        return List.of();
    }

    /** The number of input rows of a request, or -1 when the shape is not one this class knows. */
    public static int requestRows(JsonNode request) {
        if (request == null || !request.isObject()) {
            return -1;
        }
        JsonNode split = request.get("dataframe_split");
        if (split != null) {
            JsonNode data = split.get("data");
            return data != null && data.isArray() ? data.size() : -1;
        }
        for (String field : List.of("dataframe_records", "instances")) {
            JsonNode rows = request.get(field);
            if (rows != null) {
                return rows.isArray() ? rows.size() : -1;
            }
        }
        JsonNode inputs = request.get("inputs");
        if (inputs == null) {
            return -1;
        }
        if (inputs.isObject()) {
            Iterator<JsonNode> columns = inputs.elements();
            return columns.hasNext() && columns.next().isArray() ? inputs.elements().next().size() : -1;
        }
        if (inputs.isArray() && !inputs.isEmpty() && inputs.get(0).has("shape")) {
            JsonNode shape = inputs.get(0).get("shape");
            return shape.isArray() && !shape.isEmpty() ? shape.get(0).asInt(-1) : -1;
        }
        return inputs.isArray() ? inputs.size() : -1;
    }

    /** The input rows of a request (for showing an example), empty when unknown. */
    public static List<JsonNode> requestRowValues(JsonNode request) {
        if (request == null || !request.isObject()) {
            return List.of();
        }
        JsonNode split = request.get("dataframe_split");
        if (split != null && split.get("data") != null && split.get("data").isArray()) {
            return elements(split.get("data"));
        }
        for (String field : List.of("dataframe_records", "instances")) {
            JsonNode rows = request.get(field);
            if (rows != null && rows.isArray()) {
                return elements(rows);
            }
        }
        JsonNode inputs = request.get("inputs");
        if (inputs != null && inputs.isArray() && !inputs.isEmpty() && inputs.get(0).has("shape")) {
            return tensorRows(inputs.get(0));
        }
        if (inputs != null && inputs.isObject()) {
            return columnsToRows(inputs);
        }
        return inputs != null && inputs.isArray() ? elements(inputs) : List.of();
    }

    /**
     * The row as one number where it is one: a number, a boolean (0/1), a one-element list, or the
     * first numeric field of an object (a multi-output model's first output).
     */
    public static OptionalDouble numeric(JsonNode row) {
        if (row == null) {
            return OptionalDouble.empty();
        }
        if (row.isNumber()) {
            return OptionalDouble.of(row.asDouble());
        }
        if (row.isBoolean()) {
            return OptionalDouble.of(row.asBoolean() ? 1 : 0);
        }
        if (row.isArray() && row.size() == 1) {
            return numeric(row.get(0));
        }
        if (row.isObject()) {
            for (Iterator<JsonNode> values = row.elements(); values.hasNext(); ) {
                JsonNode value = values.next();
                if (value.isNumber()) {
                    return OptionalDouble.of(value.asDouble());
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** Every numeric prediction of a response body, one per row that has one. */
    public static double[] numericPredictions(byte[] responseBody) {
        List<JsonNode> rows = responseRows(parse(responseBody));
        double[] values = new double[rows.size()];
        int n = 0;
        for (JsonNode row : rows) {
            OptionalDouble value = numeric(row);
            if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
                values[n++] = value.getAsDouble();
            }
        }
        return n == values.length ? values : java.util.Arrays.copyOf(values, n);
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> rows = new ArrayList<>(array.size());
        array.forEach(rows::add);
        return rows;
    }

    /** {"a": [1, 2], "b": [3, 4]} (a column-oriented answer) as [{"a":1,"b":3}, {"a":2,"b":4}]. */
    private static List<JsonNode> columnsToRows(JsonNode columns) {
        if (!columns.isObject()) {
            return List.of(columns);
        }
        int size = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            JsonNode column = it.next().getValue();
            if (!column.isArray() || (size >= 0 && column.size() != size)) {
                return List.of(columns);
            }
            size = column.size();
        }
        List<JsonNode> rows = new ArrayList<>();
        for (int i = 0; i < Math.max(size, 0); i++) {
            var row = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> column = it.next();
                row.set(column.getKey(), column.getValue().get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A v2 tensor {"shape": [n, k], "data": [...]} (flat, row-major, or already nested) as its n rows. */
    private static List<JsonNode> tensorRows(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        JsonNode shape = tensor.get("shape");
        if (data == null || !data.isArray()) {
            return List.of();
        }
        if (shape == null || !shape.isArray() || shape.isEmpty() || (!data.isEmpty() && data.get(0).isArray())) {
            return elements(data);
        }
        int rows = shape.get(0).asInt(-1);
        if (rows <= 0 || data.size() % rows != 0) {
            return elements(data);
        }
        int width = data.size() / rows;
        if (width == 1) {
            return elements(data);
        }
        List<JsonNode> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            ArrayNode row = JsonNodeFactory.instance.arrayNode(width);
            for (int c = 0; c < width; c++) {
                row.add(data.get(r * width + c));
            }
            out.add(row);
        }
        return out;
    }
}
