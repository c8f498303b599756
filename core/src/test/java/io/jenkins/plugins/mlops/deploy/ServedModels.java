package io.jenkins.plugins.mlops.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The two test models saved into a directory and served by MLflow's scoring server, what the
 * tests against real models start once per class: {@code primary} (production's) and
 * {@code shadow} (the candidate), with the request bodies saved beside them.
 */
public record ServedModels(Path dir, ModelServer primary, ModelServer shadow) implements AutoCloseable {

    public static ServedModels start(Path dir) {
        ModelServer.saveModels(dir);
        ModelServer primary = ModelServer.serve(dir.resolve("primary"));
        try {
            return new ServedModels(dir, primary, ModelServer.serve(dir.resolve("shadow")));
        } catch (RuntimeException | Error e) {
            primary.close();
            throw e;
        }
    }

    /** The saved request bodies, one JSON document a line. */
    public Path requests() {
        return dir.resolve("requests.jsonl");
    }

    public List<String> bodies() {
        try {
            return Files.readAllLines(requests());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            shadow.close();
        }
    }
}
