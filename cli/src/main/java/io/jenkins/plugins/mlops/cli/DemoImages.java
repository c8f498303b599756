package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.image.HostPrograms;
import io.jenkins.plugins.mlops.image.LoopbackRegistry;
import io.jenkins.plugins.mlops.image.Podman;
import io.jenkins.plugins.mlops.image.PythonBaseRootfs;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.pipeline.PackageStage;
import io.jenkins.plugins.mlops.pipeline.PipelineConfig;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo's CD half, where the machine has the tools: an image registry of the example's own on
 * loopback ({@code .mlops/image-registry}, the same port each run, so that the champion's image
 * name still resolves), the python base made once by mmdebstrap and pushed there, a package stage
 * after register, and shadow and canary serving each version's image with podman. Each missing
 * tool is said in one line, and the demo runs as before without it.
 */
final class DemoImages implements AutoCloseable {
    static final String INSTALL = "apt-get install docker-registry mmdebstrap podman runc";
    static final String BASE_REPOSITORY = "debian-python";

    private final LoopbackRegistry registry;
    private final PipelineConfig pipeline;

    private DemoImages(LoopbackRegistry registry, PipelineConfig pipeline) {
        this.registry = registry;
        this.pipeline = pipeline;
    }

    /** The pipeline to run: the example's, with a package stage and container serving where the tools allow. */
    PipelineConfig pipeline() {
        return pipeline;
    }

    /**
     * Starts what the tools allow for {@code config}; {@code champion} is the production version,
     * or null for the first run.
     */
    static DemoImages prepare(Path project, ModelVersion champion, Consumer<String> say, PipelineConfig config) {
        String missing = missingTool();
        if (missing != null) {
            say.accept("demo: packaging skipped: " + missing + " (" + INSTALL + ")");
            say.accept("demo: serving models as processes: " + (Podman.installed() ? "no images without packaging"
                    : "podman not found"));
            return new DemoImages(null, config);
        }
        LoopbackRegistry started;
        String base;
        try {
            started = startRegistry(project.resolve(".mlops/image-registry"));
        } catch (InfrastructureException e) {
            say.accept("demo: packaging skipped: the demo's image registry did not start: " + e.getMessage());
            say.accept("demo: serving models as processes: no images without packaging");
            return new DemoImages(null, config);
        }
        try {
            base = base(started, say);
        } catch (InfrastructureException e) {
            started.close();
            say.accept("demo: packaging skipped: no python base image: " + e.getMessage());
            say.accept("demo: serving models as processes: no images without packaging");
            return new DemoImages(null, config);
        }
        PipelineConfig pipeline = config;
        say.accept("demo: packaging each registered version into " + started.host() + "/" + config.name()
                + " (registry in .mlops/image-registry, stopped at the end)");
        pipeline = pipeline.withPackaging(new PackageStage(Map.of("image", started.host() + "/" + config.name() + ":demo",
                "base", base, "python", project.resolve(".venv/bin/python").toString())));
        if (champion != null && champion.tags().get(ImageDigests.VERSION_TAG) == null) {
            say.accept("demo: serving models as processes: the champion (version " + champion.version() + ") has no image,"
                    + " it was registered before packaging; from the next run on, containers");
        } else {
            // The first run has no champion, so no shadow or canary: nothing is served yet.
            if (champion != null) {
                say.accept("demo: serving models as containers (podman run of each version's image by digest)");
            }
            pipeline = pipeline.withServe(serveCommand(), stopCommand());
        }
        return new DemoImages(started, pipeline);
    }

    /** The first tool missing, worded for the user, or null when all are there. */
    private static String missingTool() {
        for (String tool : List.of("docker-registry", "mmdebstrap", "podman", "runc")) {
            if (HostPrograms.onPath(tool).isEmpty()) {
                return tool + " not installed";
            }
        }
        return null;
    }

    /** The registry on the port its first start chose, kept in {@code port}: image names carry it. */
    private static LoopbackRegistry startRegistry(Path dir) {
        Path portFile = dir.resolve("port");
        try {
            Files.createDirectories(dir);
            int port = Files.isRegularFile(portFile) ? Integer.parseInt(Files.readString(portFile).strip())
                    : LoopbackRegistry.freePort();
            LoopbackRegistry registry = LoopbackRegistry.start(dir, port, null, null);
            Files.writeString(portFile, port + "\n");
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            throw new InfrastructureException(portFile + " holds no port: remove it");
        }
    }

    /** The python base in the demo registry, made (once per package list, cached) and pushed when it lacks it. */
    private static String base(LoopbackRegistry registry, Consumer<String> say) {
        String image = registry.host() + "/" + BASE_REPOSITORY + ":" + PythonBaseRootfs.SUITE;
        if (!registry.has(BASE_REPOSITORY, PythonBaseRootfs.SUITE)) {
            Path cache = PythonBaseRootfs.defaultCache();
            say.accept("demo: " + (PythonBaseRootfs.cached(cache) ? "pushing the cached python base from " + cache
                    : "making the python base with mmdebstrap (once, about a minute; cached in " + cache + ")"));
            Podman.importAndPush(PythonBaseRootfs.get(cache), image, null);
        }
        return image;
    }

    /** podman run of {@code {image}} as {@code {name}}, the scoring server on {@code {port}}. */
    static List<String> serveCommand() {
        List<String> command = new ArrayList<>(Podman.command());
        command.addAll(List.of("run", "--rm", "--name", "{name}"));
        command.addAll(Podman.runOptions());
        command.addAll(List.of("-e", "UVICORN_PORT={port}", "{image}"));
        return command;
    }

    /** Removes the container, whatever state its podman client left it in. */
    static List<String> stopCommand() {
        List<String> command = new ArrayList<>(Podman.command());
        command.addAll(List.of("rm", "-f", "--ignore", "{name}"));
        return command;
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
