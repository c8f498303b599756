package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Brings the model's files to this machine. A registered model is looked up in the registry
 * first (an unknown name, alias or version is bad input) and fetched by its version number, so
 * that an alias moving meanwhile cannot change what is packaged; a local registry's files are
 * read in place, an MLflow server's are downloaded with MLflow's own client.
 */
final class ModelResolver {
    private static final String DOWNLOAD = "import sys, mlflow.artifacts\n"
            + "print(mlflow.artifacts.download_artifacts(artifact_uri=sys.argv[1], dst_path=sys.argv[2]))\n";

    private final Supplier<ModelRegistry> registry;
    private final String trackingUri;
    private final RegistryCredentials credentials;
    private final PythonCommand python;

    ModelResolver(Supplier<ModelRegistry> registry, String trackingUri, RegistryCredentials credentials, PythonCommand python) {
        this.registry = registry;
        this.trackingUri = trackingUri;
        this.credentials = credentials;
        this.python = python;
    }

    /**
     * Where the model is, without fetching it: the registry's version (an unknown name, alias or
     * version is bad input here), the run, or the directory. Cheap, so it runs before anything slow.
     */
    record Located(ModelUri uri, ModelVersion version, Path directory) {}

    Located locate(ModelUri uri, Path base) {
        if (uri.registered()) {
            ModelRegistry models = registry.get();
            ModelVersion version = uri.alias() != null ? models.getByAlias(uri.name(), uri.alias())
                    : models.get(uri.name(), uri.version());
            models.requireFiles(version);
            return new Located(uri, version, null);
        }
        if (uri.run()) {
            if (trackingUri == null || !trackingUri.startsWith("http")) {
                throw new BadInputException("model: " + uri.text() + " names an MLflow run, which needs an MLflow tracking"
                        + " server as the registry (--registry http(s)://...)");
            }
            return new Located(uri, null, null);
        }
        Path directory = base.resolve(uri.text()).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new BadInputException("model: " + uri.text() + " is neither a directory nor a models:/ or runs:/ URI");
        }
        return new Located(uri, null, requireModel(directory, uri.text()));
    }

    /** The model's files on this machine: a local registry's and a directory's in place, an MLflow server's downloaded. */
    ResolvedModel fetch(Located located, Path workDir) {
        ModelVersion version = located.version();
        if (version != null) {
            Path directory = version.source() != null && version.source().startsWith("file:")
                    ? Path.of(URI.create(version.source()))
                    : download("models:/" + version.name() + "/" + version.version(), workDir);
            return new ResolvedModel(requireModel(directory, located.uri().text()), version.name(), version.version(),
                    version.source());
        }
        if (located.directory() == null) {
            String run = located.uri().text();
            return new ResolvedModel(requireModel(download(run, workDir), run), null, null, run);
        }
        return new ResolvedModel(located.directory(), null, null, located.directory().toUri().toString());
    }

    private Path download(String artifactUri, Path workDir) {
        Path into = workDir.resolve("model-download");
        try {
            Files.createDirectories(into);
        } catch (IOException e) {
            throw new InfrastructureException("cannot create " + into + ": " + e.getMessage(), e);
        }
        Map<String, String> environment = new TreeMap<>(credentials.environment());
        environment.put("MLFLOW_TRACKING_URI", trackingUri);
        try {
            String output = python.run(List.of("-c", DOWNLOAD, artifactUri, into.toString()), environment,
                    workDir.resolve("model-download.log"), "downloading " + artifactUri);
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return Path.of(lines.get(lines.size() - 1).strip());
        } catch (PythonCommand.PythonFailure e) {
            // The registry said the version exists; a run that MLflow cannot find is the user's URI.
            if (e.getMessage().contains("RESOURCE_DOES_NOT_EXIST") || e.getMessage().contains("not found")) {
                throw new BadInputException("model: " + artifactUri + " does not exist: " + e.getMessage());
            }
            throw new InfrastructureException(e.getMessage(), e);
        }
    }

    private static Path requireModel(Path directory, String given) {
        if (!Files.isRegularFile(directory.resolve("MLmodel"))) {
            throw new BadInputException("model: " + given + " is not an MLflow model: " + directory + " has no MLmodel file");
        }
        return directory;
    }
}
