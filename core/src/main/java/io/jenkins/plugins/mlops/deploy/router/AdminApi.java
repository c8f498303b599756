package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin API under {@code /admin/}, off unless the router has a token: {@code GET /admin/weights}
 * reads the weights, {@code PUT /admin/weights {"weights": {"stable": 90, "candidate": 10}}} sets
 * them, {@code GET /admin/stats} shows mirror and log counters. Every call needs
 * {@code Authorization: Bearer TOKEN}; a rejected call changes nothing.
 */
final class AdminApi {
    static final int MAX_BODY = 64 * 1024;

    private final Router router;
    private final byte[] token;

    AdminApi(Router router, String token) {
        this.router = router;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    void handle(HttpServerRequest request, Buffer body) {
        var response = request.response();
        if (token == null) {
            Replies.error(response, 404, "the admin API is off; start the router with an admin token (MLOPS_ADMIN_TOKEN)");
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"mlops-router\"");
            Replies.error(response, 401, "admin: send Authorization: Bearer <token>");
            return;
        }
        // Constant time, so that the token cannot be guessed byte by byte from response times.
        if (!MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
            Replies.error(response, 403, "admin: the token is not the router's admin token");
            return;
        }
        switch (request.path()) {
            case "/admin/weights" -> weights(request, body);
            case "/admin/stats" -> Replies.json(response, 200, stats());
            default -> Replies.error(response, 404, "admin: no " + request.path() + "; use /admin/weights or /admin/stats");
        }
    }

    private void weights(HttpServerRequest request, Buffer body) {
        var response = request.response();
        if (request.method() == HttpMethod.GET) {
            Replies.json(response, 200, Map.of("weights", router.weights()));
            return;
        }
        if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.POST) {
            response.putHeader("Allow", "GET, PUT");
            Replies.error(response, 405, "admin: GET or PUT /admin/weights");
            return;
        }
        Map<String, Integer> requested;
        try {
            requested = parseWeights(body);
        } catch (BadInputException e) {
            Replies.error(response, 400, e.getMessage());
            return;
        }
        try {
            router.setWeights(requested);
        } catch (BadInputException e) {
            Replies.error(response, 400, e.getMessage());
            return;
        } catch (RuntimeException e) {
            Replies.error(response, 500, "admin: weights not changed: " + e.getMessage());
            return;
        }
        Replies.json(response, 200, Map.of("weights", router.weights()));
    }

    static Map<String, Integer> parseWeights(Buffer body) {
        JsonNode root;
        try {
            root = Replies.STRICT.readTree(body.getBytes());
        } catch (IOException e) {
            throw new BadInputException("admin: the body is not JSON; send {\"weights\": {\"stable\": 90, \"candidate\": 10}}");
        }
        JsonNode weights = root == null ? null : root.get("weights");
        if (weights == null || !weights.isObject()) {
            throw new BadInputException("admin: send {\"weights\": {\"stable\": 90, \"candidate\": 10}}");
        }
        Map<String, Integer> percent = new LinkedHashMap<>();
        for (var it = weights.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isIntegralNumber() || !entry.getValue().canConvertToInt()) {
                throw new BadInputException("admin: weight of '" + entry.getKey() + "' is not a whole percent: " + entry.getValue());
            }
            percent.put(entry.getKey(), entry.getValue().intValue());
        }
        return percent;
    }

    private Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("weights", router.weights());
        stats.put("mirror", router.mirrorStats());
        stats.put("log", router.logStats());
        stats.put("unrecorded", router.unrecorded());
        return stats;
    }
}
