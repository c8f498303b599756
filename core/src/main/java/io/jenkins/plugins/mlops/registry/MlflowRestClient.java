package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * MLflow's REST API 2.0 over the JDK HTTP client: JSON in and out, the credentials MLflow's own
 * clients use, and retries of transient failures (no connection, 5xx, 429) with backoff until the
 * deadline. The Java {@code mlflow-client} cannot write to the model registry, and this needs
 * nothing beyond Jackson.
 */
final class MlflowRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Uploads may take longer than --timeout by the time their bytes need at this slowest acceptable rate. */
    private static final long MIN_UPLOAD_BYTES_PER_SECOND = 1L << 20;
    /** The largest answer read: a search page of 1000 versions with their tags is a few MiB. */
    static final long MAX_BODY_BYTES = 32L << 20;
    private static final int MAX_MESSAGE = 500;

    private final String base;
    private final RegistryCredentials credentials;
    private final Duration timeout;
    private final Consumer<String> progress;
    private final HttpClient http;

    MlflowRestClient(URI server, RegistryCredentials credentials, Duration timeout, Consumer<String> progress) {
        String text = server.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.credentials = credentials;
        this.timeout = timeout;
        this.progress = progress;
        // HTTP/1.1: MLflow runs behind uvicorn/gunicorn, which answer a cleartext h2c upgrade with a warning per request.
        // No redirects: the Authorization header would follow them to whatever host they name.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (credentials.insecureTls()) {
            builder.sslContext(trustEverything());
        }
        this.http = builder.build();
    }

    ObjectNode objectNode() {
        return JSON.createObjectNode();
    }

    /** GET {@code /api/2.0/mlflow/<endpoint>}, retried: reads are idempotent. */
    JsonNode get(String endpoint, Map<String, String> query) {
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> joined.add(encode(key) + "=" + encode(value)));
        return send("GET " + endpoint, request(api(endpoint) + joined).GET(), true, timeout, CALL_TIMEOUT);
    }

    /** POST with retries, for calls that are idempotent or whose repeat does no harm. */
    JsonNode post(String endpoint, JsonNode body) {
        return send("POST " + endpoint, request(api(endpoint)).header("Content-Type", "application/json").POST(json(body)),
                true, timeout, CALL_TIMEOUT);
    }

    /** DELETE with a JSON body, as MLflow's delete endpoints take it; retried, since deleting twice is harmless. */
    JsonNode delete(String endpoint, JsonNode body) {
        return send("DELETE " + endpoint, request(api(endpoint)).header("Content-Type", "application/json")
                .method("DELETE", json(body)), true, timeout, CALL_TIMEOUT);
    }

    /**
     * POST exactly once: for creates whose repeat would make a duplicate (a second model
     * version); the caller decides how to recover.
     */
    JsonNode postOnce(String endpoint, JsonNode body) {
        return send("POST " + endpoint, request(api(endpoint)).header("Content-Type", "application/json").POST(json(body)),
                false, timeout, CALL_TIMEOUT);
    }

    /**
     * Uploads one file through the server's artifact proxy ({@code --serve-artifacts}), retried:
     * a PUT of the same bytes to the same path is idempotent.
     */
    void upload(String artifactPath, Path file) {
        HttpRequest.Builder builder;
        Duration patience;
        try {
            builder = request(base + "/api/2.0/mlflow-artifacts/artifacts/" + encodePath(artifactPath))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file));
            patience = timeout.plusSeconds(Files.size(file) / MIN_UPLOAD_BYTES_PER_SECOND);
        } catch (IOException e) {
            throw new BadInputException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        send("PUT artifact " + artifactPath, builder, true, patience, patience);
    }

    /**
     * One call, bounded as a whole: every attempt, the wait for headers, the body and the pauses
     * between retries end by {@code patience} after the call began, and no answer is read past
     * {@link #MAX_BODY_BYTES}. The JDK's request timeout alone stops at the headers, so a server
     * that sends them and then one byte a second would hold the build forever.
     *
     * @param attemptCap the longest one attempt may take, within what is left of {@code patience}
     */
    private JsonNode send(String what, HttpRequest.Builder builder, boolean retryable, Duration patience, Duration attemptCap) {
        Backoff backoff = new Backoff(patience);
        while (true) {
            String failure;
            Duration retryAfter = null;
            int status = 0;
            String errorCode = null;
            IOException cause = null;
            try {
                Answer response = exchange(builder, backoff.remaining(), attemptCap);
                status = response.statusCode();
                if (status / 100 == 2) {
                    return parse(what, response.body());
                }
                if (status / 100 == 3) {
                    throw new MlflowApiException("MLflow at " + base + " redirects " + what + " to "
                            + response.headers().firstValue("Location").orElse("(no Location)")
                            + "; mlops does not follow redirects with credentials: pass the final URL as --registry",
                            status, null, null);
                }
                JsonNode error = parseError(response.body());
                errorCode = error == null ? null : error.path("error_code").asText(null);
                failure = describe(status, error, response.body());
                if (!isTransient(status)) {
                    throw new MlflowApiException(refusal(what, status, failure), status, errorCode, null);
                }
                retryAfter = retryAfter(response);
            } catch (BoundedBody.TooLargeException e) {
                throw new MlflowApiException("MLflow at " + base + " answered " + what + " with more than "
                        + (MAX_BODY_BYTES >> 20) + " MiB; mlops stopped reading (is --registry an MLflow tracking server?)", 0, null, e);
            } catch (IOException e) {
                cause = e;
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MlflowApiException(what + " interrupted", 0, null, e);
            }
            if (!retryable || !backoff.pause(retryAfter)) {
                String tries = backoff.attempts() + 1 == 1 ? "" : " after " + (backoff.attempts() + 1) + " attempts in " + patience.toSeconds() + " s";
                throw new MlflowApiException("MLflow at " + base + " failed " + what + tries + ": " + failure,
                        status, errorCode, cause);
            }
            progress.accept("registry: " + what + " failed (" + failure + "); retrying, "
                    + backoff.remaining().toSeconds() + " s left");
        }
    }

    /** One attempt, ended at {@code left} (or {@code cap}) whatever the server does: silent, slow or endless. */
    private Answer exchange(HttpRequest.Builder builder, Duration left, Duration cap)
            throws IOException, InterruptedException {
        Duration bound = left.compareTo(cap) < 0 ? left : cap;
        if (bound.toMillis() < 1) {
            bound = Duration.ofMillis(1);
        }
        HttpRequest request = builder.copy().timeout(bound).build();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, BoundedBody.handler(MAX_BODY_BYTES));
        try {
            HttpResponse<byte[]> response = answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.headers(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + seconds(bound));
        } catch (ExecutionException e) {
            answer.cancel(true);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private String refusal(String what, int status, String failure) {
        if (status == 401 || status == 403) {
            return "MLflow at " + base + " refused " + what + " for " + credentials.describe() + ": " + failure;
        }
        return "MLflow at " + base + " refused " + what + ": " + failure;
    }

    private static boolean isTransient(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    private static Duration retryAfter(Answer response) {
        return response.headers().firstValue("Retry-After")
                .filter(value -> value.strip().matches("\\d{1,6}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value.strip())))
                .orElse(null);
    }

    /** A server's error, as it goes into a message: without SQL, redacted (servers echo headers), clipped. */
    private static String describe(int status, JsonNode error, String body) {
        if (error != null && error.hasNonNull("error_code")) {
            return "HTTP " + status + " " + error.path("error_code").asText() + ": "
                    + clip(Redaction.redact(withoutSql(error.path("message").asText(""))));
        }
        String text = body == null ? "" : Redaction.redact(withoutSql(body.strip()));
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + clip(text));
    }

    /**
     * MLflow passes a database error on with SQLAlchemy's text: the statement and its parameters
     * (tag values among them), then a link. A person needs the error, e.g.
     * {@code (sqlite3.OperationalError) database is locked}; the rest stays in the server's log.
     */
    static String withoutSql(String message) {
        int cut = message.length();
        for (String marker : new String[] {"[SQL:", "[parameters:", "(Background on this error at:"}) {
            int at = message.indexOf(marker);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        if (cut == message.length()) {
            return message;
        }
        return "the server's database failed: " + message.substring(0, cut).strip();
    }

    private static JsonNode parseError(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode parse(String what, String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new MlflowApiException("MLflow at " + base + " answered " + what + " with something that is not JSON: "
                    + clip(body.strip()) + " (is --registry the tracking server's URL?)", 200, null, e);
        }
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(CALL_TIMEOUT)
                .header("Accept", "application/json");
        credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private String api(String endpoint) {
        return base + "/api/2.0/mlflow/" + endpoint;
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Percent-encodes each segment of an artifact path; '/' separates them. */
    static String encodePath(String path) {
        StringJoiner joined = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            joined.add(encode(segment).replace("+", "%20"));
        }
        return joined.toString();
    }

    private static String clip(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
    }

    /** For MLFLOW_TRACKING_INSECURE_TLS=true only: accepts any certificate and host name, as MLflow's verify=False. */
    private static SSLContext trustEverything() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    String location() {
        return base;
    }

    /** What one attempt got back: the status, the headers, and the body (at most {@link #MAX_BODY_BYTES}) as text. */
    private record Answer(int statusCode, HttpHeaders headers, String body) {}
}
