package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.image.BaseImage;
import io.jenkins.plugins.mlops.image.ImageAssembly;
import io.jenkins.plugins.mlops.image.ImageReference;
import io.jenkins.plugins.mlops.image.Layer;
import io.jenkins.plugins.mlops.image.RegistryAuth;
import io.jenkins.plugins.mlops.image.RegistryClient;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code packageModel} step: the model's files and its pinned Python requirements as two
 * layers on the user's base image, served by MLflow's scoring server (uvicorn over
 * {@code mlflow.pyfunc.scoring_server.app}), pushed by digest, and the digest written on the model
 * version. Everything that can be refused (the model, the registry's credentials, the base) is
 * checked before the slow work and before anything is pushed.
 */
public final class PackageStep {
    /** Where the image holds the installed requirements and the model. */
    static final String PYTHON_DIR = "opt/mlops/python";
    static final String MODEL_DIR = "opt/mlops/model";
    /** pip and a model download get this long; resolving a large environment on a cold cache is slow. */
    private static final Duration PYTHON_DEADLINE = Duration.ofMinutes(30);
    /** Storage KServe's initializer fetches from; anything else (runs:/, mlflow-artifacts:/) it cannot read. */
    private static final Set<String> KSERVE_SCHEMES = Set.of("s3", "gs", "https", "http", "pvc", "hdfs", "webhdfs", "oci");

    private PackageStep() {}

    /**
     * @param registryUri the model registry (for {@code models:/} and {@code runs:/}, and the version tag); a relative
     *     {@code file:DIR} is relative to {@code directory}
     * @param directory where relative paths (a model directory, the wheel cache, the manifest) are
     */
    public static PackageResult run(PackageParameters parameters, String registryUri, RegistryCredentials mlflow,
            RegistryAuth imageAuth, Path directory, Consumer<String> progress) {
        String registry = ModelRegistries.resolve(registryUri, directory);
        Instant started = Instant.now();
        long start = System.nanoTime();
        ModelUri uri = ModelUri.parse(parameters.model());
        PythonCommand python = new PythonCommand(parameters.python(), PYTHON_DEADLINE);
        ModelRegistry[] opened = new ModelRegistry[1];
        ModelResolver resolver = new ModelResolver(() -> opened[0] = ModelRegistries.open(registry, mlflow,
                parameters.timeout(), progress), registry, mlflow, python);
        try (WorkDirectory work = new WorkDirectory()) {
            Path workDir = work.path();
            List<Check> checks = new ArrayList<>();
            ModelResolver.Located located = resolver.locate(uri, directory);
            // A registry that refuses the credentials says so before the model is downloaded and anything is built.
            RegistryClient target = null;
            if (parameters.image() != null) {
                ImageReference image = ImageReference.parse(parameters.image(), "image");
                target = new RegistryClient(image, imageAuth, parameters.timeout());
                target.checkAccess(image.repository());
            }
            ResolvedModel model = resolver.fetch(located, workDir);
            progress.accept("package: model " + uri.text() + (model.version() != null ? " is " + model.name() + " version "
                    + model.version() : "") + " (" + model.directory() + ")");
            Built built = parameters.image() == null ? null
                    : build(parameters, model, target, directory, workDir, checks, progress);
            String versionTag = null;
            if (built != null && model.version() != null) {
                versionTag = ImageDigests.VERSION_TAG + "=" + built.image();
                opened[0].setTag(model.name(), model.version(), ImageDigests.VERSION_TAG, built.image().toString());
                checks.add(Check.of("version_tag", null, Status.PASS, versionTag, "the image on the model version",
                        "model " + model.name() + " version " + model.version() + " names the image by digest"));
            } else if (built != null) {
                checks.add(Check.of("version_tag", null, Status.WARN, "no version", "the image on the model version",
                        uri.text() + " is no registered version: nothing records the image; deployModel takes images of"
                                + " registered versions only"));
            }
            String manifest = null;
            if (parameters.inferenceService() != null) {
                manifest = InferenceServiceManifest.yaml(model.name(), model.storageUri());
                AtomicFiles.write(directory.resolve(parameters.inferenceService()), manifest);
                checks.add(kserveCheck(model.storageUri()));
            }
            String summary = built != null
                    ? "Packaged " + describe(uri, model) + " as " + built.image() + " (" + megabytes(built.size()) + " MB, "
                            + built.layers() + " layers, Python " + built.base().pythonVersion() + ")"
                    : "Wrote a KServe InferenceService for " + describe(uri, model) + " from " + model.storageUri();
            return new PackageResult(PackageResult.SCHEMA, PackageResult.STEP, Status.worstOf(checks), started,
                    (System.nanoTime() - start) / 1e9, summary, checks, uri.text(),
                    built == null ? null : built.image().toString(), built == null ? null : built.tagged().toString(),
                    built == null ? null : built.image().digest(), built == null ? null : built.base().reference().toString(),
                    built == null ? 0 : built.size(), built == null ? 0 : built.layers(),
                    built == null ? null : built.base().pythonVersion(), built == null ? List.of() : built.pinned(),
                    model.name(), model.version(), versionTag, model.storageUri(), manifest);
        }
    }

    private record Built(ImageReference image, ImageReference tagged, BaseImage base, long size, int layers, List<String> pinned) {}

    private static Built build(PackageParameters parameters, ResolvedModel model, RegistryClient targetClient, Path directory,
            Path workDir, List<Check> checks, Consumer<String> progress) {
        ImageReference target = ImageReference.parse(parameters.image(), "image");
        ImageReference baseName = ImageReference.parse(parameters.base(), "base");
        // The step's credentials are for the target registry; a base elsewhere is read anonymously.
        RegistryClient baseClient = baseName.registry().equals(target.registry()) ? targetClient
                : new RegistryClient(baseName, RegistryAuth.ANONYMOUS, parameters.timeout());
        progress.accept("package: pulling base " + baseName);
        BaseImage base = BaseImage.pull(baseClient, baseName, workDir);
        checks.add(Check.of("base_python", null, Status.PASS, "Python " + base.pythonVersion() + " at " + base.python(),
                "python3 in the base", "base " + base.reference() + (base.glibc() != null ? ", glibc " + base.glibc() : "")));

        progress.accept("package: resolving the model's requirements for Python " + base.pythonVersion());
        PythonDependencies.Installed installed = new PythonDependencies(new PythonCommand(parameters.python(), PYTHON_DEADLINE))
                .install(PythonDependencies.requirements(model.directory()), base.pythonVersion(), base.glibc(),
                        directory.resolve(parameters.wheelCache()), workDir);
        write(installed.directory().resolve("requirements.lock"), String.join("\n", installed.pinned()) + "\n");
        if (!base.cxxRuntime()) {
            checks.add(Check.of("base_cxx_runtime", null, Status.WARN, "no libstdc++.so.6", "the C++ runtime in the base",
                    "manylinux wheels of numpy, scipy, pandas and most compiled packages load libstdc++.so.6, which base "
                            + base.reference() + " lacks: the server will not start unless the model's requirements are pure"
                            + " Python; add the C++ runtime (Debian: libstdc++6) to the base"));
        }
        checks.add(Check.of("requirements", null, Status.PASS, installed.pinned().size() + " pinned", "wheels for the base",
                "installed offline into the image: " + String.join(", ", installed.pinned())));

        progress.accept("package: archiving layers");
        // bin/ holds pip's console scripts, whose first line names this machine's Python: useless in the image.
        Layer python = Layer.of(installed.directory(), PYTHON_DIR, workDir.resolve("python.tar.gz"), Set.of("bin"));
        Layer files = Layer.of(model.directory(), MODEL_DIR, workDir.resolve("model.tar.gz"), Set.of());
        ImageAssembly assembly = new ImageAssembly(base)
                .layer(python, "mlops package: Python requirements (" + installed.pinned().size() + " pinned)")
                .layer(files, "mlops package: model " + (model.version() != null ? model.name() + "/" + model.version() : "files"))
                .env("PYTHONPATH", "/" + PYTHON_DIR)
                .env("__pyfunc_model_path__", "/" + MODEL_DIR)
                .env("UVICORN_HOST", "0.0.0.0")
                .env("UVICORN_PORT", String.valueOf(parameters.port()))
                .entrypoint(List.of(base.python(), "-m", "uvicorn", "mlflow.pyfunc.scoring_server.app:app"))
                .expose(parameters.port())
                .label("org.opencontainers.image.base.digest", base.reference().digest());
        if (model.version() != null) {
            assembly.label("io.jenkins.mlops.model", "models:/" + model.name() + "/" + model.version());
        }
        ImageAssembly.Assembled image = assembly.assemble();
        progress.accept("package: pushing " + target + " (" + megabytes(image.size()) + " MB)");
        String digest = assembly.push(image, targetClient, target, workDir, progress);
        checks.add(Check.of("image_pushed", null, Status.PASS, digest, "a manifest in " + target.registry(),
                "pushed " + target + "; the same model on the same base gives the same digest"));
        return new Built(target.atDigest(digest), target, base, image.size(), base.layers().size() + 2, installed.pinned());
    }

    private static Check kserveCheck(String storageUri) {
        String scheme = URI.create(storageUri.replace(" ", "%20")).getScheme();
        boolean fetchable = scheme != null && KSERVE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
        return Check.of("kserve_storage_uri", null, fetchable ? Status.PASS : Status.WARN, storageUri,
                "a URI KServe's storage initializer reads (" + String.join(", ", KSERVE_SCHEMES.stream().sorted().toList()) + ")",
                fetchable ? "KServe fetches the model and serves it with its MLflow runtime"
                        : "KServe cannot fetch " + scheme + ": URIs; register the model with its files in object storage,"
                                + " or serve the image");
    }

    private static String describe(ModelUri uri, ResolvedModel model) {
        return model.version() != null ? model.name() + " version " + model.version() : uri.text();
    }

    private static long megabytes(long bytes) {
        return Math.round(bytes / 1e6);
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
