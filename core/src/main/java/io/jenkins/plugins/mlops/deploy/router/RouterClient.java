package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drives a router that runs on its own ({@code mlops router} with an admin token) through its admin
 * API ({@link AdminApi}): weights, the mirror, the exchange journal and the judge's windows. A
 * refused token or a refused change is bad input (exit 2), a router that cannot be reached an
 * infrastructure failure (exit 3). Every call is idempotent, so a call that could not reach the
 * router (a restart behind its Service) is tried again, a few times. The token is never shown.
 */
public final class RouterClient implements RouterControl {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int TRIES = 3;
    private static final Duration BETWEEN_TRIES = Duration.ofSeconds(1);

    /** The router's mirror now: where copies go (null: nowhere), its counters, and the journal's last entry. */
    public record Mirror(URI url, MirrorStats stats, long journal) {}

    private final URI router;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param router the router's base URL, e.g. {@code http://mlops-router:8080}
     * @param token the admin token ({@code MLOPS_ROUTER_TOKEN}, a file, or a Jenkins credential)
     */
    public RouterClient(URI router, String token) {
        if (router == null || router.getHost() == null
                || !("http".equals(router.getScheme()) || "https".equals(router.getScheme()))) {
            throw new BadInputException("--router: '" + router + "' is not an http(s)://HOST:PORT URL");
        }
        if (token == null || token.isBlank()) {
            throw new BadInputException("--router " + router + " needs the router's admin token: set MLOPS_ROUTER_TOKEN or"
                    + " give --router-token-file FILE (in Jenkins: routerCredentialsId, a Secret text credential)");
        }
        this.router = router;
        this.token = token.strip();
    }

    public URI uri() {
        return router;
    }

    @Override
    public Map<String, Integer> weights() {
        return weights(call("GET", "weights", null));
    }

    @Override
    public void setWeights(Map<String, Integer> weights) {
        call("PUT", "weights", Map.of("weights", weights));
    }

    /** Where each variant's requests go now. */
    public Map<String, URI> variants() {
        return read(call("GET", "variants", null).get("variants"), new TypeReference<LinkedHashMap<String, URI>>() {});
    }

    /** Points {@code variant} at {@code url}; refused (409) while the variant has traffic. */
    public void pointVariant(String variant, URI url) {
        call("PUT", "variants/" + URLEncoder.encode(variant, StandardCharsets.UTF_8), Map.of("url", url.toString()));
    }

    public Mirror mirror() {
        return mirror(call("GET", "mirror", null));
    }

    /** Mirrors every request to {@code target}; refused (409) while the router mirrors to another URL. */
    public Mirror mirrorTo(URI target) {
        return mirror(call("PUT", "mirror", Map.of("url", target.toString())));
    }

    public Mirror mirrorOff() {
        return mirror(call("DELETE", "mirror", null));
    }

    /** Up to {@code limit} journal entries after {@code after}. */
    public ExchangePage exchanges(long after, int limit) {
        return read(call("GET", "exchanges?after=" + after + "&limit=" + limit, null), new TypeReference<>() {});
    }

    /** What {@code variant} served with requests received in {@code [from, to)}. */
    @Override
    public VariantWindow observe(String variant, Instant from, Instant to) {
        return read(call("GET", "windows/" + URLEncoder.encode(variant, StandardCharsets.UTF_8) + "?from=" + from + "&to=" + to,
                null), new TypeReference<>() {});
    }

    private static Map<String, Integer> weights(JsonNode answer) {
        return read(answer.get("weights"), new TypeReference<LinkedHashMap<String, Integer>>() {});
    }

    private static Mirror mirror(JsonNode answer) {
        JsonNode url = answer.get("url");
        return new Mirror(url == null || url.isNull() ? null : URI.create(url.asText()),
                read(answer.get("stats"), new TypeReference<>() {}), answer.path("journal").asLong());
    }

    private static <T> T read(JsonNode node, TypeReference<T> type) {
        try {
            return Replies.JSON.readerFor(type).readValue(node);
        } catch (IOException e) {
            throw new InfrastructureException("router: an answer of its admin API is not what mlops expects: " + e.getMessage(), e);
        }
    }

    private JsonNode call(String method, String resource, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(router.resolve(AdminApi.V1 + resource)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        try {
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Replies.JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        String what = method + " " + AdminApi.V1 + resource.replaceFirst("\\?.*", "");
        // An aborted step still turns the mirror off and rolls back: the call runs with the interrupt
        // put aside (it is short and bounded) and the interrupt is restored for the caller to see.
        boolean interrupted = Thread.interrupted();
        try {
            return send(request, what);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        IOException unreachable = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                unreachable = e;
                pause();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfrastructureException("router: interrupted during " + what, e);
            }
            return answer(what, response);
        }
        throw new InfrastructureException("router at " + router + ": " + what + " failed " + TRIES + " times: " + unreachable,
                unreachable);
    }

    private JsonNode answer(String what, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode json;
        try {
            json = Replies.STRICT.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        String message = json != null && json.hasNonNull("error") ? json.get("error").asText()
                : new String(response.body(), StandardCharsets.UTF_8).strip();
        if (status == 200 && json != null) {
            return json;
        }
        String prefix = "router at " + router + ": " + what + ": ";
        if (status == 401) {
            throw new BadInputException(prefix + "401, the router refused the admin token (" + message + "); give the token the"
                    + " router was started with (MLOPS_ADMIN_TOKEN there)");
        }
        if (status == 404) {
            throw new BadInputException(prefix + "404 (" + message + "): is this an mlops router with an admin token?");
        }
        if (status >= 400 && status < 500) {
            throw new BadInputException(prefix + status + ": " + message);
        }
        throw new InfrastructureException(prefix + status + ": " + message);
    }

    private static void pause() {
        try {
            Thread.sleep(BETWEEN_TRIES.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "router at " + router;
    }
}
