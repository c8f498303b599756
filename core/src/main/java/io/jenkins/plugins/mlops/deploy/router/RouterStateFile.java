package io.jenkins.plugins.mlops.deploy.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The router's weights on disk ({@code {"schema": "mlops.router-state/v1", "weights": {...}}}),
 * written atomically on every change, so that a restarted router resumes where it was.
 */
final class RouterStateFile {
    static final String SCHEMA = "mlops.router-state/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    RouterStateFile(Path file) {
        this.file = file;
    }

    /** The saved weights, if the file exists; a malformed file or unknown variant is bad input, not a reset. */
    Optional<Weights> load(Collection<String> variants) {
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
            return Optional.of(Weights.of(variants, percent));
        } catch (IOException e) {
            throw new BadInputException(file + ": not a router state file (" + e.getMessage() + "); fix or delete it", e);
        } catch (BadInputException e) {
            throw e.getMessage().startsWith(file.toString()) ? e
                    : new BadInputException(file + ": " + e.getMessage() + "; fix or delete the state file", e);
        }
    }

    void save(Weights weights) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("updated", Instant.now().toString());
        ObjectNode percent = root.putObject("weights");
        weights.asMap().forEach(percent::put);
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
