package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.deploy.log.FeedbackRow;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.io.Messages;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /feedback {"request_id": "...", "outcome": 1}}: a late label, a value or a click
 * for a request the router served, written to {@code mlops_feedback} for joins by request id.
 * A number or boolean is an {@code outcome}, a string a {@code label}. One feedback per request id:
 * a second one for an id this router took feedback for (the last {@value #REMEMBERED_IDS}) is 409.
 */
final class FeedbackApi {
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_ID = 256;
    private static final int MAX_LABEL = 1024;
    static final int REMEMBERED_IDS = 100_000;

    private final PredictionLog log;
    /** The ids taken so far, oldest dropped first beyond {@link #REMEMBERED_IDS}; shared by the event loops. */
    private final Set<String> taken = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    }));

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
            root = Replies.STRICT.readTree(body.getBytes());
        } catch (IOException e) {
            Replies.error(response, 400, "feedback: the body is not JSON: " + Messages.firstLine(e.getMessage()));
            return;
        }
        if (root == null || !root.isObject()) {
            Replies.error(response, 400, "feedback: give a JSON object {\"request_id\": ..., \"outcome\": ...}");
            return;
        }
        JsonNode id = root.get("request_id");
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_ID
                || id.asText().chars().anyMatch(Character::isISOControl)) {
            Replies.error(response, 400, "feedback: request_id must be a non-empty string of at most " + MAX_ID
                    + " characters without control characters");
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
        if (!taken.add(id.asText())) {
            Replies.error(response, 409, "feedback: request " + id.asText() + " already has feedback; one per request id");
            return;
        }
        if (!log.append(new FeedbackRow(id.asText(), outcome, label, System.currentTimeMillis()))) {
            taken.remove(id.asText());
            Replies.error(response, 503, "feedback: the prediction log's buffer is full (database down?); retry later");
            return;
        }
        Replies.json(response, 202, Map.of("request_id", id.asText(), "accepted", true));
    }
}
