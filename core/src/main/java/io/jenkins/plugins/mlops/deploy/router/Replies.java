package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.mlops.result.Json;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/** JSON answers of the router's own endpoints, errors always with a message a person can act on. */
final class Replies {
    /** The results' JSON conventions (snake_case), on one line. */
    static final ObjectMapper JSON = Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT);
    /** Reads one JSON document: anything after it but whitespace is an error, not ignored. */
    static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Replies() {}

    static void json(HttpServerResponse response, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"error\":\"cannot render the answer\"}";
        }
        if (!response.closed() && !response.ended()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(text + "\n");
        }
    }

    static void error(HttpServerResponse response, int status, String message) {
        json(response, status, Map.of("error", message));
    }
}
