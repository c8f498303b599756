package io.jenkins.plugins.mlops.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of the OCI distribution API that packaging needs: read a manifest, fetch, check,
 * mount and upload blobs, put a manifest. Basic auth goes with every call; where the registry
 * answers with a bearer challenge instead, the credentials are exchanged for a token at its realm.
 * A refusal or an unreachable registry is an {@link InfrastructureException} (exit 3).
 */
public final class RegistryClient {
    static final String ACCEPT = String.join(",", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final String registry;
    private final String base;
    private final RegistryAuth auth;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, String> tokens = new HashMap<>();

    /** A manifest's bytes as the registry holds them, its media type and its digest. */
    public record Manifest(byte[] bytes, String mediaType, String digest) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new InfrastructureException("the registry sent a manifest that is not JSON: " + e.getMessage(), e);
            }
        }
    }

    public RegistryClient(ImageReference image, RegistryAuth auth, Duration timeout) {
        this.registry = image.registry();
        this.base = (image.loopback() ? "http://" : "https://") + image.registry() + "/v2/";
        this.auth = auth;
        this.timeout = timeout;
        // Redirects are followed by hand: a blob's redirect goes to storage that must not get the registry's credentials.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Checks before anything is written that the registry answers and takes the credentials for
     * {@code repository}, so that a refusal never leaves half an image behind.
     */
    public void checkAccess(String repository) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base)).GET(), repository,
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw refusal("GET /v2/", response.statusCode(), response.body());
        }
    }

    /** The manifest of {@code reference} (tag or digest), or empty where the registry has none. */
    public Optional<Manifest> manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request(repository + "/manifests/" + reference).header("Accept", ACCEPT).GET(),
                repository, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw refusal("GET manifest " + repository + ":" + reference, response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8));
        }
        String digest = "sha256:" + sha256(response.body());
        if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            throw new InfrastructureException("registry " + registry + " sent a manifest for " + reference + " whose digest is " + digest);
        }
        String type = response.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "");
        return Optional.of(new Manifest(response.body(), type, digest));
    }

    /** Streams blob {@code digest} into {@code file} and checks that its bytes are the digest's. */
    public void download(String repository, String digest, Path file) {
        HttpResponse<Path> response = send(request(repository + "/blobs/" + digest).GET(), repository,
                HttpResponse.BodyHandlers.ofFile(file));
        for (int hops = 0; isRedirect(response.statusCode()) && hops < 5; hops++) {
            URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow(
                    () -> new InfrastructureException("registry " + registry + " redirected blob " + digest + " without a Location")));
            response = sendWithoutCredentials(HttpRequest.newBuilder(location).timeout(timeout.multipliedBy(10)).GET(),
                    HttpResponse.BodyHandlers.ofFile(file));
        }
        if (response.statusCode() != 200) {
            throw refusal("GET blob " + digest, response.statusCode(), "");
        }
        String actual = "sha256:" + sha256(file);
        if (!actual.equals(digest)) {
            throw new InfrastructureException("registry " + registry + " sent blob " + digest + " with digest " + actual);
        }
    }

    public boolean hasBlob(String repository, String digest) {
        HttpResponse<Void> response = send(request(repository + "/blobs/" + digest).method("HEAD",
                HttpRequest.BodyPublishers.noBody()), repository, HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    /** Asks the registry to link a blob it holds in {@code from} into {@code repository}; false where it wants an upload. */
    public boolean mount(String repository, String digest, String from) {
        HttpResponse<String> response = send(request(repository + "/blobs/uploads/?mount=" + digest + "&from="
                + URLEncoder.encode(from, StandardCharsets.UTF_8)).POST(HttpRequest.BodyPublishers.noBody()), repository,
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
            return true;
        }
        if (response.statusCode() == 202) {
            // The registry opened an upload instead; leaving it unused is harmless (it expires).
            return false;
        }
        throw refusal("mount " + digest, response.statusCode(), response.body());
    }

    /** Uploads {@code file} as blob {@code digest} in one request (the registry checks the digest). */
    public void upload(String repository, String digest, Path file) {
        HttpResponse<String> start = send(request(repository + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()),
                repository, HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw refusal("start upload of " + digest, start.statusCode(), start.body());
        }
        String location = start.headers().firstValue("Location")
                .orElseThrow(() -> new InfrastructureException("registry " + registry + " opened an upload without a Location"));
        URI target = URI.create(base).resolve(location);
        URI put = URI.create(target + (target.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<String> done;
        try {
            done = send(HttpRequest.newBuilder(put).timeout(timeout.multipliedBy(10)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)), repository, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InfrastructureException("cannot read layer " + file + ": " + e.getMessage(), e);
        }
        if (done.statusCode() != 201) {
            throw refusal("upload of " + digest, done.statusCode(), done.body());
        }
    }

    /** Puts the manifest under {@code tag}; returns the digest the registry names it by. */
    public String putManifest(String repository, String tag, byte[] manifest, String mediaType) {
        HttpResponse<String> response = send(request(repository + "/manifests/" + tag).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), repository, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw refusal("put manifest " + repository + ":" + tag, response.statusCode(), response.body());
        }
        String digest = "sha256:" + sha256(manifest);
        String named = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!named.equals(digest)) {
            throw new InfrastructureException("registry " + registry + " stored the manifest as " + named + ", not " + digest);
        }
        return digest;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private <T> HttpResponse<T> sendWithoutCredentials(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(builder.build(), body);
        } catch (IOException e) {
            throw new InfrastructureException("cannot fetch a blob of image registry " + registry + " from its storage: "
                    + Redaction.redact(String.valueOf(e.getMessage())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while fetching a blob of image registry " + registry, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    }

    /** Sends with the credentials; a bearer challenge is answered once with a token for the repository. */
    private <T> HttpResponse<T> send(HttpRequest.Builder builder, String repository, HttpResponse.BodyHandler<T> body) {
        try {
            String token = tokens.get(repository);
            if (token != null) {
                builder.setHeader("Authorization", "Bearer " + token);
            } else if (!auth.anonymous()) {
                builder.setHeader("Authorization", auth.basicHeader());
            }
            HttpRequest request = builder.build();
            HttpResponse<T> response = http.send(request, body);
            Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
            if (response.statusCode() == 401 && token == null && challenge.isPresent()
                    && challenge.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
                tokens.put(repository, token(challenge.get(), repository));
                return send(builder, repository, body);
            }
            return response;
        } catch (ConnectException e) {
            throw new InfrastructureException("cannot reach image registry " + registry + ": connection refused", e);
        } catch (HttpTimeoutException e) {
            throw new InfrastructureException("image registry " + registry + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new InfrastructureException("cannot reach image registry " + registry + ": " + Redaction.redact(String.valueOf(e.getMessage())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while talking to image registry " + registry, e);
        }
    }

    /** The token flow of the distribution spec: the realm, service and scope come from the challenge. */
    private String token(String challenge, String repository) throws IOException, InterruptedException {
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAMETER.matcher(challenge);
        while (m.find()) {
            parameters.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null) {
            throw new InfrastructureException("image registry " + registry + " asks for a bearer token but names no realm");
        }
        String scope = "repository:" + repository + ":pull,push";
        StringBuilder query = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?').append("scope=")
                .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        if (parameters.containsKey("service")) {
            query.append("&service=").append(URLEncoder.encode(parameters.get("service"), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(query.toString())).timeout(timeout).GET();
        if (!auth.anonymous()) {
            request.header("Authorization", auth.basicHeader());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw refusal("token for " + repository, response.statusCode(), response.body());
        }
        JsonNode json = Json.mapper().readTree(response.body());
        String token = json.path("token").asText(json.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new InfrastructureException("image registry " + registry + "'s token service sent no token");
        }
        Redaction.remember(token);
        return token;
    }

    private InfrastructureException refusal(String call, int status, String body) {
        String detail = body == null || body.isBlank() ? "" : ": " + Redaction.redact(body.strip().replaceAll("\\s+", " "));
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "...";
        }
        if (status == 401 || status == 403) {
            String who = auth.anonymous() ? "without credentials (set " + RegistryAuth.USERNAME_VARIABLE + " and "
                    + RegistryAuth.PASSWORD_VARIABLE + ", or the step's credentials)" : "the credentials of " + auth;
            return new InfrastructureException("image registry " + registry + " refused " + who + " (HTTP " + status + " on "
                    + call + ")" + detail);
        }
        return new InfrastructureException("image registry " + registry + " failed " + call + " with HTTP " + status + detail);
    }

    static String sha256(byte[] bytes) {
        MessageDigest digest = Layer.sha256();
        digest.update(bytes);
        return Layer.hex(digest);
    }

    static String sha256(Path file) {
        MessageDigest digest = Layer.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Layer.hex(digest);
    }

}
