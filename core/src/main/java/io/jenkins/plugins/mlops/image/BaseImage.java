package io.jenkins.plugins.mlops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The image the user builds on, pulled from its registry: its manifest, its config and its
 * layers (kept in a work directory, since they are pushed again beside the new ones), and what
 * packaging must know of its contents: where Python is and which version, and the C library's
 * version, which decides the wheels that run on it.
 *
 * @param reference the base as named, pinned to the digest it had when pulled
 * @param config the image config as the registry holds it
 * @param layers the base's layers, oldest first
 * @param python the interpreter's path in the image, e.g. {@code /usr/bin/python3}
 * @param pythonVersion {@code MAJOR.MINOR}, e.g. {@code 3.11}
 * @param glibc {@code MAJOR.MINOR} of glibc where the image's package database says, else null
 * @param cxxRuntime whether {@code libstdc++.so.6} is there, which manylinux wheels of numpy, scipy
 *     and most compiled packages load
 */
public record BaseImage(ImageReference reference, ObjectNode config, List<BaseLayer> layers, String python,
        String pythonVersion, String glibc, boolean cxxRuntime) {
    private static final Pattern PYTHON_LIB = Pattern.compile("(usr/(?:local/)?lib)/python(3\\.\\d+)/(?:os\\.py)?");
    private static final Pattern LIBC_VERSION = Pattern.compile("(?m)^Package: libc6\\n(?:[^\\n]+\\n)*?Version: (\\d+\\.\\d+)");

    /** A layer of the base: its descriptor and, once pulled, its file. */
    public record BaseLayer(String mediaType, String digest, long size, Path file) {}

    /** Pulls {@code reference} into {@code workDir}; a base that does not exist or lacks Python is bad input. */
    public static BaseImage pull(RegistryClient client, ImageReference reference, Path workDir) {
        RegistryClient.Manifest manifest = client.manifest(reference.repository(), reference.manifestReference())
                .orElseThrow(() -> new BadInputException("base image " + reference + " does not exist in registry "
                        + reference.registry()));
        JsonNode json = manifest.json();
        if (json.has("manifests")) {
            manifest = client.manifest(reference.repository(), platformManifest(json, reference)).orElseThrow(
                    () -> new InfrastructureException("registry " + reference.registry() + " lists a linux/amd64 manifest for "
                            + reference + " that it does not hold"));
            json = manifest.json();
        }
        Path configFile = workDir.resolve("base-config.json");
        client.download(reference.repository(), json.path("config").path("digest").asText(), configFile);
        ObjectNode config;
        try {
            config = (ObjectNode) io.jenkins.plugins.mlops.result.Json.mapper().readTree(Files.readAllBytes(configFile));
        } catch (IOException | ClassCastException e) {
            throw new InfrastructureException("the config of base image " + reference + " is not a JSON object", e);
        }
        List<BaseLayer> layers = new ArrayList<>();
        Contents contents = new Contents();
        for (JsonNode layer : json.path("layers")) {
            String digest = layer.path("digest").asText();
            Path file = workDir.resolve("base-" + digest.replace(':', '-') + ".tar.gz");
            client.download(reference.repository(), digest, file);
            contents.scan(file, layer.path("mediaType").asText(), reference);
            layers.add(new BaseLayer(layer.path("mediaType").asText(), digest, layer.path("size").asLong(), file));
        }
        String python = contents.python().orElseThrow(() -> new BadInputException("base image " + reference
                + " has no Python: no usr/bin/python3 with its usr/lib/python3.N in its layers; name a base with python3"
                + " installed (e.g. Debian's python3-minimal)"));
        return new BaseImage(reference.atDigest(manifest.digest()), config, layers, python, contents.version(),
                contents.glibc, contents.cxxRuntime);
    }

    /** In an index (multi-platform image), the manifest for linux/amd64: the machines mlops packages for. */
    private static String platformManifest(JsonNode index, ImageReference reference) {
        for (JsonNode entry : index.path("manifests")) {
            JsonNode platform = entry.path("platform");
            if ("linux".equals(platform.path("os").asText()) && "amd64".equals(platform.path("architecture").asText())) {
                return entry.path("digest").asText();
            }
        }
        throw new BadInputException("base image " + reference + " has no linux/amd64 image in its index");
    }

    /** What the layers hold that packaging needs, read from the tar entries' names (and one small file). */
    private static final class Contents {
        private final TreeSet<String> interpreters = new TreeSet<>();
        private final TreeSet<String> libraries = new TreeSet<>();
        private String glibc;
        private boolean cxxRuntime;

        void scan(Path layer, String mediaType, ImageReference reference) {
            if (!mediaType.contains("gzip") && !mediaType.endsWith(".tar")) {
                throw new BadInputException("base image " + reference + " has a layer of type " + mediaType
                        + "; mlops reads gzip and plain tar layers");
            }
            try (InputStream raw = Files.newInputStream(layer);
                    InputStream in = mediaType.contains("gzip") ? new GZIPInputStream(raw, 1 << 16) : raw) {
                TarReader.forEach(in, (name, size, body) -> {
                    String path = name.startsWith("./") ? name.substring(2) : name.startsWith("/") ? name.substring(1) : name;
                    if (path.matches("usr/(local/)?bin/python3")) {
                        interpreters.add("/" + path);
                    }
                    Matcher lib = PYTHON_LIB.matcher(path);
                    if (lib.matches()) {
                        libraries.add(lib.group(1) + " " + lib.group(2));
                    }
                    if (path.matches("(usr/)?lib(64)?/([^/]+/)?libstdc\\+\\+\\.so\\.6")) {
                        cxxRuntime = true;
                    }
                    if (path.equals("var/lib/dpkg/status") && size < (32 << 20)) {
                        Matcher libc = LIBC_VERSION.matcher(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                        if (libc.find()) {
                            glibc = libc.group(1);
                        }
                    }
                });
            } catch (IOException e) {
                throw new InfrastructureException("cannot read a layer of base image " + reference + ": " + e.getMessage(), e);
            }
        }

        /** The interpreter whose prefix also has a standard library: /usr/local (python:* images) before /usr (Debian). */
        Optional<String> python() {
            for (String interpreter : interpreters.descendingSet()) {
                String prefix = interpreter.substring(1, interpreter.indexOf("/bin/"));
                if (libraries.stream().anyMatch(l -> l.startsWith(prefix + "/lib "))) {
                    return Optional.of(interpreter);
                }
            }
            return Optional.empty();
        }

        String version() {
            String prefix = python().orElseThrow().substring(1, python().orElseThrow().indexOf("/bin/"));
            return libraries.stream().filter(l -> l.startsWith(prefix + "/lib ")).map(l -> l.substring(l.indexOf(' ') + 1))
                    .reduce((a, b) -> b).orElseThrow();
        }
    }
}
