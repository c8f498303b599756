package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.deploy.log.FeedbackRow;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /feedback {"request_id": "...", "outcome": 1}}: a late label, a value or a click
 * for a request the router served, written to {@code mlops_feedback} for joins by request id.
 * A number or boolean is an {@code outcome}, a string a {@code label}.
 */
final class FeedbackApi {
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_ID = 256;
    private static final int MAX_LABEL = 1024;

    private final PredictionLog log;

    FeedbackApi(PredictionLog log) {
        this.log = log;
    }

    void handle(HttpServerRequest request, Buffer body) {
        var response = request.response();
        if (request.method() != HttpMethod.POST) {
            response.putHeader("Allow", "POST");
            Replies.error(response, 405, "feedback: use POST with {\"request_id\": ..., \"outcome\": ...}");
            return;
        }
        if (log == null) {
            Replies.error(response, 503, "feedback: the router has no prediction log; start it with a log to take feedback");
            return;
        }
        JsonNode root;
        try {
            root = Replies.JSON.readTree(body.getBytes());
        } catch (IOException e) {
            Replies.error(response, 400, "feedback: the body is not JSON: " + firstLine(e.getMessage()));
            return;
        }
        if (root == null || !root.isObject()) {
            Replies.error(response, 400, "feedback: give a JSON object {\"request_id\": ..., \"outcome\": ...}");
            return;
        }
        JsonNode id = root.get("request_id");
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_ID) {
            Replies.error(response, 400, "feedback: request_id must be a non-empty string of at most " + MAX_ID + " characters");
            return;
        }
        Double outcome = null;
        String label = null;
        JsonNode value = root.has("outcome") ? root.get("outcome") : root.get("label");
        if (value != null && value.isNumber() && Double.isFinite(value.asDouble())) {
            outcome = value.asDouble();
        } else if (value != null && value.isBoolean()) {
            outcome = value.asBoolean() ? 1.0 : 0.0;
        } else if (value != null && value.isTextual() && !value.asText().isEmpty() && value.asText().length() <= MAX_LABEL) {
            label = value.asText();
        } else {
            Replies.error(response, 400, "feedback: outcome must be a finite number, a boolean or a label of 1.."
                    + MAX_LABEL + " characters");
            return;
        }
        if (!log.append(new FeedbackRow(id.asText(), outcome, label, System.currentTimeMillis()))) {
            Replies.error(response, 503, "feedback: the prediction log's buffer is full (database down?); retry later");
            return;
        }
        Replies.json(response, 202, Map.of("request_id", id.asText(), "accepted", true));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
