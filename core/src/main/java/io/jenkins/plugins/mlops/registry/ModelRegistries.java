package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/** Opens the registry a URI names: {@code http(s)://...} an MLflow tracking server, {@code file:DIR} the local registry. */
public final class ModelRegistries {
    private ModelRegistries() {}

    /**
     * @param timeout how long one registry call keeps retrying transient failures
     * @param progress where retries, uploads and registrations are reported
     */
    public static ModelRegistry open(String uri, RegistryCredentials credentials, Duration timeout, Consumer<String> progress) {
        if (uri == null || uri.isBlank()) {
            throw new BadInputException("no registry: pass --registry http(s)://HOST:PORT (MLflow) or file:DIR (local registry)");
        }
        if (!uri.contains(":")) {
            throw new BadInputException("registry '" + uri + "' is not a URI: use http(s)://HOST:PORT for an MLflow"
                    + " tracking server or file:DIR for the local registry");
        }
        String scheme = uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> new MlflowRegistry(server(uri), credentials, timeout, progress);
            case "file" -> new LocalRegistry(localDirectory(uri), progress);
            // Only the scheme is echoed: the rest of an unknown URI may hold a password.
            default -> throw new BadInputException("registry URI with scheme '" + scheme + "' is not supported:"
                    + " use http(s)://HOST:PORT for an MLflow tracking server or file:DIR for the local registry");
        };
    }

    /**
     * {@code uri} with a relative {@code file:DIR} made relative to {@code directory} (the
     * workspace, the project), as every other path a step takes; other URIs, and null, as they are.
     */
    public static String resolve(String uri, Path directory) {
        if (uri == null || !uri.startsWith("file:") || uri.startsWith("file:/")) {
            return uri;
        }
        return "file:" + directory.resolve(uri.substring("file:".length())).normalize();
    }

    private static URI server(String uri) {
        URI server;
        try {
            server = new URI(uri);
        } catch (URISyntaxException e) {
            throw new BadInputException("registry URL is malformed at index " + e.getIndex() + ": " + e.getReason());
        }
        if (server.getRawUserInfo() != null) {
            throw new BadInputException("the registry URL carries credentials: they would show in build logs and"
                    + " process lists; set MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN instead");
        }
        if (server.getHost() == null) {
            throw new BadInputException("registry URL " + uri + " has no host");
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null) {
            throw new BadInputException("registry URL " + uri + " must not have a query or fragment");
        }
        return server;
    }

    private static Path localDirectory(String uri) {
        try {
            Path dir = uri.startsWith("file://") ? Path.of(new URI(uri)) : Path.of(uri.substring("file:".length()));
            if (dir.toString().isEmpty()) {
                throw new BadInputException("registry URI file: names no directory; use file:DIR");
            }
            return dir;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new BadInputException("registry URI " + uri + " is not a valid file: URI (" + e.getMessage() + ")");
        }
    }
}
