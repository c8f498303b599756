package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The admin API under {@code /admin/v1/}, off unless the router has a token; every call needs
 * {@code Authorization: Bearer TOKEN} (401 without it or with another), and a rejected call changes
 * nothing. What a step outside the router drives it with (see {@link RouterClient}):
 * <ul>
 * <li>{@code GET|PUT /admin/v1/weights} {@code {"weights": {"stable": 90, "candidate": 10}}}</li>
 * <li>{@code GET /admin/v1/variants}, {@code PUT /admin/v1/variants/NAME} {@code {"url": "http://candidate:5000"}}:
 *     where a variant's requests go; 409 while it has traffic</li>
 * <li>{@code GET|PUT|DELETE /admin/v1/mirror} {@code {"url": "http://shadow:5000"}}: mirror on, off;
 *     409 while it mirrors to another URL</li>
 * <li>{@code GET /admin/v1/exchanges?after=N&limit=M}: what was served while mirroring, for the shadow's comparison</li>
 * <li>{@code GET /admin/v1/windows/VARIANT?from=INSTANT&to=INSTANT}: what the judge reads</li>
 * <li>{@code GET /admin/v1/stats}: mirror and log counters</li>
 * </ul>
 * Malformed JSON is 400, a variant the router does not have (or weights that do not fit) 422.
 * {@code /admin/weights} and {@code /admin/stats} stay as the first version's names.
 */
final class AdminApi {
    static final int MAX_BODY = 64 * 1024;
    static final String V1 = "/admin/v1/";
    private static final int MAX_PAGE = 1_000;
    private static final Duration RECORDED = Duration.ofSeconds(2);

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
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        // Constant time, so that the token cannot be guessed byte by byte from response times.
        if (!bearer || !MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"mlops-router\"" + (bearer ? ", error=\"invalid_token\"" : ""));
            Replies.error(response, 401, bearer ? "admin: the token is not the router's admin token"
                    : "admin: send Authorization: Bearer <token>");
            return;
        }
        String path = request.path();
        String resource = path.startsWith(V1) ? path.substring(V1.length()) : path.substring("/admin/".length());
        try {
            if (resource.equals("weights")) {
                weights(request, body);
            } else if (resource.equals("stats")) {
                Replies.json(response, 200, stats());
            } else if (resource.equals("variants") && path.startsWith(V1)) {
                allow(request, "GET", HttpMethod.GET);
                Replies.json(response, 200, Map.of("variants", router.variants()));
            } else if (resource.startsWith("variants/") && path.startsWith(V1)) {
                variant(request, resource.substring("variants/".length()), body);
            } else if (resource.equals("mirror") && path.startsWith(V1)) {
                mirror(request, body);
            } else if (resource.equals("exchanges") && path.startsWith(V1)) {
                exchanges(request);
            } else if (resource.startsWith("windows/") && path.startsWith(V1)) {
                window(request, resource.substring("windows/".length()));
            } else {
                Replies.error(response, 404, "admin: no " + path + "; use " + V1 + "weights, variants, mirror, exchanges,"
                        + " windows/VARIANT or stats");
            }
        } catch (Refusal refusal) {
            Replies.error(response, refusal.status, refusal.getMessage());
        }
    }

    private void weights(HttpServerRequest request, Buffer body) {
        var response = request.response();
        if (request.method() == HttpMethod.GET) {
            Replies.json(response, 200, Map.of("weights", router.weights()));
            return;
        }
        allow(request, "GET, PUT", HttpMethod.PUT, HttpMethod.POST);
        Map<String, Integer> requested;
        try {
            requested = parseWeights(body);
        } catch (BadInputException e) {
            throw new Refusal(400, e.getMessage());
        }
        try {
            router.setWeights(requested);
        } catch (BadInputException e) {
            throw new Refusal(422, e.getMessage());
        } catch (RuntimeException e) {
            throw new Refusal(500, "admin: weights not changed: " + e.getMessage());
        }
        Replies.json(response, 200, Map.of("weights", router.weights()));
    }

    private void mirror(HttpServerRequest request, Buffer body) {
        HttpMethod method = request.method();
        URI target;
        if (method == HttpMethod.PUT || method == HttpMethod.POST) {
            target = parseUrl(body, "{\"url\": \"http://shadow:5000\"}");
            URI now = router.mirrorTarget();
            if (now != null && !now.equals(target)) {
                throw new Refusal(409, "admin: the router mirrors to " + now + " already; turn that off first (DELETE "
                        + V1 + "mirror) so that two shadow steps never share one mirror");
            }
            try {
                RouterConfig.checkUpstream(RouterConfig.MIRROR_VARIANT, target);
            } catch (BadInputException e) {
                throw new Refusal(422, "admin: " + e.getMessage());
            }
        } else if (method == HttpMethod.DELETE) {
            target = null;
        } else {
            allow(request, "GET, PUT, DELETE", HttpMethod.GET);
            Replies.json(request.response(), 200, mirrorState());
            return;
        }
        // What was served before the switch is recorded first, so that the journal's entries start
        // and end with the switch, not with whenever the recorder got to them.
        blocking(request, () -> {
            router.processor().awaitRecorded(RECORDED);
            router.setMirror(target);
            return mirrorState();
        });
    }

    private Map<String, Object> mirrorState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("url", router.mirrorTarget() == null ? null : router.mirrorTarget().toString());
        state.put("stats", router.mirrorStats());
        state.put("journal", router.journal().last());
        return state;
    }

    private void variant(HttpServerRequest request, String variant, Buffer body) {
        if (!router.config().variants().containsKey(variant)) {
            throw new Refusal(422, "admin: no variant '" + variant + "'; the router has " + router.config().variants().keySet());
        }
        if (request.method() != HttpMethod.GET) {
            allow(request, "GET, PUT", HttpMethod.PUT, HttpMethod.POST);
            URI url = parseUrl(body, "{\"url\": \"http://candidate:5000\"}");
            try {
                router.setVariant(variant, url);
            } catch (BadInputException e) {
                throw new Refusal(422, "admin: " + e.getMessage());
            } catch (IllegalStateException e) {
                throw new Refusal(409, "admin: " + e.getMessage());
            }
        }
        Replies.json(request.response(), 200, Map.of("variant", variant, "url", router.variants().get(variant).toString()));
    }

    private void exchanges(HttpServerRequest request) {
        long after = number(request, "after", 0);
        int limit = (int) Math.min(MAX_PAGE, Math.max(1, number(request, "limit", MAX_PAGE)));
        // Everything served before the call is recorded first: a reader that saw its answer sees its exchange.
        blocking(request, () -> {
            router.processor().awaitRecorded(RECORDED);
            return router.journal().after(after, limit);
        });
    }

    private void window(HttpServerRequest request, String variant) {
        if (!router.config().variants().containsKey(variant) && !RouterConfig.MIRROR_VARIANT.equals(variant)) {
            throw new Refusal(422, "admin: no variant '" + variant + "'; the router has " + router.config().variants().keySet()
                    + " and '" + RouterConfig.MIRROR_VARIANT + "' for the mirror");
        }
        Instant from = instant(request, "from");
        Instant to = instant(request, "to");
        blocking(request, () -> router.observe(variant, from, to));
    }

    /** Runs {@code work} off the event loop (it waits for the recorder), then answers with its value. */
    private void blocking(HttpServerRequest request, Callable<Object> work) {
        HttpServerResponse response = request.response();
        router.vertx().executeBlocking(work, false).onComplete(done -> {
            if (done.succeeded()) {
                Replies.json(response, 200, done.result());
            } else {
                Replies.error(response, 500, "admin: " + done.cause().getMessage());
            }
        });
    }

    private static void allow(HttpServerRequest request, String allowed, HttpMethod... methods) {
        for (HttpMethod method : methods) {
            if (request.method() == method) {
                return;
            }
        }
        request.response().putHeader("Allow", allowed);
        throw new Refusal(405, "admin: " + allowed + " " + request.path());
    }

    private static long number(HttpServerRequest request, String name, long absent) {
        String text = request.getParam(name);
        if (text == null) {
            return absent;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Refusal(400, "admin: " + name + "=" + text + " is not a whole number");
        }
    }

    private static Instant instant(HttpServerRequest request, String name) {
        String text = request.getParam(name);
        if (text == null) {
            throw new Refusal(400, "admin: give " + name + "=INSTANT, e.g. 2026-01-31T12:00:00Z");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Refusal(400, "admin: " + name + "=" + text + " is not an instant like 2026-01-31T12:00:00Z");
        }
    }

    static Map<String, Integer> parseWeights(Buffer body) {
        JsonNode weights = object(body, "weights", "{\"weights\": {\"stable\": 90, \"candidate\": 10}}");
        if (!weights.isObject()) {
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

    private static URI parseUrl(Buffer body, String example) {
        JsonNode url;
        try {
            url = object(body, "url", example);
        } catch (BadInputException e) {
            throw new Refusal(400, e.getMessage());
        }
        if (!url.isTextual()) {
            throw new Refusal(400, "admin: \"url\" must be text, e.g. " + example);
        }
        try {
            return new URI(url.asText());
        } catch (URISyntaxException e) {
            throw new Refusal(422, "admin: '" + url.asText() + "' is not a URL");
        }
    }

    /** The field {@code name} of the JSON object in {@code body}. */
    private static JsonNode object(Buffer body, String name, String example) {
        JsonNode root;
        try {
            root = Replies.STRICT.readTree(body.getBytes());
        } catch (IOException e) {
            throw new BadInputException("admin: the body is not JSON; send " + example);
        }
        JsonNode field = root == null ? null : root.get(name);
        if (field == null || field.isNull()) {
            throw new BadInputException("admin: send " + example);
        }
        return field;
    }

    private Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("weights", router.weights());
        stats.put("mirror", router.mirrorStats());
        stats.put("log", router.logStats());
        stats.put("unrecorded", router.unrecorded());
        return stats;
    }

    /** A call refused with {@code status}, before anything changed. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
