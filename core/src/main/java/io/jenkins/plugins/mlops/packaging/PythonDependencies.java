package io.jenkins.plugins.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The model's Python requirements, resolved to pinned wheels for the base image's Python and C
 * library, and installed into a directory that becomes a layer. pip does this on the packaging
 * machine with {@code --target} and the base's platform tags, so nothing runs inside the image
 * (no RUN, no network there) and no bytecode is written (it would carry install times).
 * Downloaded wheels stay in a cache directory; a later build that finds every wheel there
 * installs from it without asking the index, so it resolves as the build before did.
 */
final class PythonDependencies {
    /** MLflow's full package brings its tracking server and UI; serving needs the skinny one of the same version. */
    static final String SERVING_MLFLOW = "mlflow-skinny";

    private final PythonCommand pip;

    PythonDependencies(PythonCommand pip) {
        this.pip = pip;
    }

    /** The result: the directory to archive and the pinned {@code name==version} list, sorted. */
    record Installed(Path directory, List<String> pinned) {}

    static List<String> requirements(Path model) {
        Path file = model.resolve("requirements.txt");
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("model: " + model + " has no requirements.txt (MLflow writes one with every"
                    + " saved model); save the model with MLflow 2 or later");
        }
        try {
            List<String> requirements = new ArrayList<>();
            boolean mlflow = false;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String requirement = line.replaceFirst("#.*", "").strip();
                if (requirement.isEmpty()) {
                    continue;
                }
                if (requirement.startsWith("-")) {
                    throw new BadInputException("model: " + file + " has the pip option '" + requirement + "'; packaging"
                            + " takes requirement lines only");
                }
                if (requirement.matches("(?i)mlflow(\\[[^]]*])?\\s*([=<>!~].*)?")) {
                    requirement = SERVING_MLFLOW + requirement.replaceFirst("(?i)^mlflow(\\[[^]]*])?", "");
                    mlflow = true;
                }
                requirements.add(requirement);
            }
            if (!mlflow) {
                requirements.add(SERVING_MLFLOW);
            }
            return requirements;
        } catch (IOException e) {
            throw new BadInputException("model: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves and installs {@code requirements} for CPython {@code pythonVersion} on a glibc of
     * {@code glibc} (null: the widely compatible 2.17) into {@code workDir/site-packages}.
     */
    Installed install(List<String> requirements, String pythonVersion, String glibc, Path wheelCache, Path workDir) {
        Path requirementsFile = workDir.resolve("requirements.in");
        Path target = workDir.resolve("site-packages");
        Path report = workDir.resolve("pip-report.json");
        try {
            Files.createDirectories(wheelCache);
            Files.write(requirementsFile, requirements, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InfrastructureException("cannot prepare " + wheelCache + ": " + e.getMessage(), e);
        }
        List<String> platform = platformOptions(pythonVersion, glibc);
        List<String> install = new ArrayList<>(List.of("-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                "--no-warn-conflicts", "--no-index", "--find-links", wheelCache.toString(), "--target", target.toString(),
                "--no-compile", "--report", report.toString()));
        install.addAll(platform);
        install.addAll(List.of("-r", requirementsFile.toString()));
        // The cache alone first: a build whose wheels are all there needs no index, and resolves as the last one did.
        try {
            runPip(install, workDir.resolve("pip-install-cached.log"), "installing the model's requirements from the cache");
            return new Installed(target, pinned(report));
        } catch (BadInputException notAllCached) {
            WorkDirectory.delete(target);
        }
        List<String> download = new ArrayList<>(List.of("-m", "pip", "download", "--disable-pip-version-check", "--quiet",
                "--dest", wheelCache.toString(), "--find-links", wheelCache.toString()));
        download.addAll(platform);
        download.addAll(List.of("-r", requirementsFile.toString()));
        runPip(download, workDir.resolve("pip-download.log"), "resolving the model's requirements");
        runPip(install, workDir.resolve("pip-install.log"), "installing the model's requirements");
        return new Installed(target, pinned(report));
    }

    private void runPip(List<String> arguments, Path log, String what) {
        try {
            // PIP_* of the machine (a find-links, a config) would change what resolves; the command says everything.
            pip.run(arguments, Map.of("PIP_CONFIG_FILE", "/dev/null", "PYTHONDONTWRITEBYTECODE", "1"), log, what);
        } catch (PythonCommand.PythonFailure e) {
            String message = e.getMessage();
            if (message.contains("No matching distribution") || message.contains("ResolutionImpossible")
                    || message.contains("Could not find a version")) {
                throw new BadInputException("model: its requirements cannot be met by wheels for the base image: " + message);
            }
            if (message.contains("No module named pip")) {
                throw new BadInputException("python: the interpreter has no pip: " + message);
            }
            throw new InfrastructureException(message, e);
        }
    }

    /** Wheels only (nothing compiled for the wrong machine), for the base's CPython, glibc and x86-64. */
    static List<String> platformOptions(String pythonVersion, String glibc) {
        List<String> options = new ArrayList<>(List.of("--only-binary=:all:", "--implementation", "cp", "--python-version",
                pythonVersion, "--abi", "cp" + pythonVersion.replace(".", "")));
        int newest = glibc == null ? 17 : Integer.parseInt(glibc.substring(glibc.indexOf('.') + 1));
        // pip matches the platform tags given, not older ones: list every manylinux the C library runs.
        IntStream.rangeClosed(5, Math.max(newest, 17)).map(i -> Math.max(newest, 17) + 5 - i)
                .forEach(minor -> options.addAll(List.of("--platform", "manylinux_2_" + minor + "_x86_64")));
        for (String legacy : List.of("manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")) {
            options.addAll(List.of("--platform", legacy));
        }
        return options;
    }

    private static List<String> pinned(Path report) {
        try {
            JsonNode json = Json.mapper().readTree(report.toFile());
            List<String> pinned = new ArrayList<>();
            json.path("install").forEach(item -> pinned.add(item.path("metadata").path("name").asText() + "=="
                    + item.path("metadata").path("version").asText()));
            pinned.sort(String.CASE_INSENSITIVE_ORDER);
            return pinned;
        } catch (IOException e) {
            throw new InfrastructureException("cannot read pip's report " + report + ": " + e.getMessage(), e);
        }
    }
}
