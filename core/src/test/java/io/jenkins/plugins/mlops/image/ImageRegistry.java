package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * The demo's {@link LoopbackRegistry} on a free loopback port, storing in a temporary directory,
 * with basic auth when a user is given; and reads of its API with the admin's credentials.
 */
public final class ImageRegistry implements AutoCloseable {
    private final LoopbackRegistry registry;
    private final String authorization;

    private ImageRegistry(LoopbackRegistry registry, String authorization) {
        this.registry = registry;
        this.authorization = authorization;
    }

    public static ImageRegistry start(Path dir) {
        return start(dir, null, null);
    }

    public static ImageRegistry start(Path dir, String user, String password) {
        // Under CI=true a missing registry or htpasswd fails here with the package to install.
        TestEnvironment.command("docker-registry");
        if (user != null) {
            TestEnvironment.command("htpasswd");
        }
        String authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ImageRegistry(LoopbackRegistry.start(dir, 0, user, password), authorization);
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image name. */
    public String host() {
        return registry.host();
    }

    /** GET on the registry's API with the admin's credentials: status and body. */
    public HttpResponse<String> get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", RegistryClient.ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repositories that hold at least one manifest: what a user could pull. */
    public String tags(String repository) {
        HttpResponse<String> response = get("/v2/" + repository + "/tags/list");
        return response.statusCode() == 404 ? "" : response.body();
    }

    @Override
    public void close() {
        registry.close();
    }
}
