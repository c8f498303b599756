package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The router's weights and mirror on disk ({@code {"schema": "mlops.router-state/v1", "weights":
 * {...}, "mirror": URL or null}}), written atomically on every change, so that a restarted router
 * resumes where it was. A file without {@code mirror} (written before it could change) leaves the
 * mirror to the router's configuration.
 */
final class RouterStateFile {
    /**
     * What was saved; {@code mirrorSaved} false when the file says nothing about the mirror, and
     * {@code variants} the URLs it has for variants (those pointed elsewhere through the admin API).
     */
    record State(Weights weights, boolean mirrorSaved, URI mirror, Map<String, URI> variants) {}

    static final String SCHEMA = "mlops.router-state/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    RouterStateFile(Path file) {
        this.file = file;
    }

    /** The saved weights, if the file exists; a malformed file or unknown variant is bad input, not a reset. */
    Optional<State> load(Collection<String> variants) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode weights = root == null ? null : root.get("weights");
            if (weights == null || !weights.isObject()) {
                throw new BadInputException(file + ": no \"weights\" object; fix or delete the state file");
            }
            Map<String, Integer> percent = new LinkedHashMap<>();
            for (var it = weights.fields(); it.hasNext(); ) {
                var entry = it.next();
                if (!entry.getValue().canConvertToExactIntegral()) {
                    throw new BadInputException(file + ": weight of '" + entry.getKey() + "' is not a whole percent");
                }
                percent.put(entry.getKey(), entry.getValue().intValue());
            }
            JsonNode mirror = root.get("mirror");
            URI target = null;
            if (mirror != null && !mirror.isNull()) {
                try {
                    target = new URI(mirror.asText());
                    RouterConfig.checkUpstream(RouterConfig.MIRROR_VARIANT, target);
                } catch (URISyntaxException | BadInputException e) {
                    throw new BadInputException(file + ": \"mirror\" is not an http(s) URL: " + mirror.asText()
                            + "; fix or delete the state file", e);
                }
            }
            return Optional.of(new State(Weights.of(variants, percent), mirror != null, target, urls(root.get("variants"), variants)));
        } catch (IOException e) {
            throw new BadInputException(file + ": not a router state file (" + e.getMessage() + "); fix or delete it", e);
        } catch (BadInputException e) {
            throw e.getMessage().startsWith(file.toString()) ? e
                    : new BadInputException(file + ": " + e.getMessage() + "; fix or delete the state file", e);
        }
    }

    private Map<String, URI> urls(JsonNode saved, Collection<String> variants) {
        Map<String, URI> urls = new LinkedHashMap<>();
        if (saved == null || saved.isNull()) {
            return urls;
        }
        if (!saved.isObject()) {
            throw new BadInputException(file + ": \"variants\" is not an object; fix or delete the state file");
        }
        for (var it = saved.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!variants.contains(entry.getKey())) {
                throw new BadInputException(file + ": unknown variant '" + entry.getKey() + "'; the router has " + variants
                        + "; fix or delete the state file");
            }
            try {
                URI url = new URI(entry.getValue().asText());
                RouterConfig.checkUpstream(entry.getKey(), url);
                urls.put(entry.getKey(), url);
            } catch (URISyntaxException | BadInputException e) {
                throw new BadInputException(file + ": variant '" + entry.getKey() + "' is not at an http(s) URL: "
                        + entry.getValue().asText() + "; fix or delete the state file", e);
            }
        }
        return urls;
    }

    void save(Weights weights, URI mirror, Map<String, URI> variants) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("updated", Instant.now().toString());
        ObjectNode percent = root.putObject("weights");
        weights.asMap().forEach(percent::put);
        root.put("mirror", mirror == null ? null : mirror.toString());
        ObjectNode urls = root.putObject("variants");
        variants.forEach((name, url) -> urls.put(name, url.toString()));
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
