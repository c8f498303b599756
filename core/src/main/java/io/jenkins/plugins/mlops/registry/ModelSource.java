package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What {@code --model} names: a local file or directory that the registry copies (local) or
 * uploads (MLflow), or a URI ({@code s3://...}, {@code runs:/...}, {@code models:/...}) that the
 * registry records as it is. A path is kept as a string: {@link Path} is not serialisable, and
 * Jenkins ships the config to the agent that holds the workspace.
 */
public record ModelSource(String location, boolean local) implements Serializable {
    // Two or more letters, so that a Windows drive letter ("C:\model") stays a path.
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

    /** Reads {@code --model}: {@code file:} URIs and plain paths are local, other URIs remote. */
    public static ModelSource parse(String model) {
        if (model == null || model.isBlank()) {
            throw new BadInputException("--model is empty: give a model file or directory, or a model URI");
        }
        if (model.startsWith("file:")) {
            try {
                return new ModelSource(Path.of(new URI(model)).toString(), true);
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new BadInputException("--model " + model + " is not a valid file: URI (" + e.getMessage() + ")");
            }
        }
        if (URI_SCHEME.matcher(model).matches()) {
            return new ModelSource(model, false);
        }
        return new ModelSource(model, true);
    }

    /** The local model, checked to exist; only for local sources. */
    public Path path() {
        if (!local) {
            throw new IllegalStateException("not a local model: " + location);
        }
        Path path = Path.of(location);
        if (!Files.exists(path)) {
            throw new BadInputException("model " + location + " does not exist");
        }
        if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
            throw new BadInputException("model " + location + " is neither a file nor a directory");
        }
        return path;
    }
}
