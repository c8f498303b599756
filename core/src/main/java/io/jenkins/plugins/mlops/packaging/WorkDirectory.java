package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for one packaging run (the model's download, the installed requirements,
 * the layers: hundreds of MB), removed when the run ends, whichever way.
 */
final class WorkDirectory implements AutoCloseable {
    private final Path path;

    WorkDirectory() {
        try {
            path = Files.createTempDirectory("mlops-package-");
        } catch (IOException e) {
            throw new InfrastructureException("cannot create a work directory: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Removes {@code dir} and everything below it, if it is there. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InfrastructureException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        delete(path);
    }
}
