package io.jenkins.plugins.mlops.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts layers on a base the way Jib does, without a daemon or a RUN: the new config is the base's
 * with the environment, entrypoint and labels changed and a fixed creation time, and the manifest
 * lists the base's layers then the new ones. The same base and the same layers give the same bytes,
 * so the same digest. {@link #push} writes blobs first and the manifest last: until the manifest
 * is in, the registry shows no image, so a failed push leaves nothing half there.
 */
public final class ImageAssembly {
    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    /** The epoch: a time that does not change from one build to the next. */
    static final String CREATED = "1970-01-01T00:00:00Z";
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private final BaseImage base;
    private final List<Layer> layers = new ArrayList<>();
    private final List<String> layerHistory = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> labels = new TreeMap<>();
    private List<String> entrypoint = List.of();
    private Integer port;

    /** The built image: its digest, its manifest and config bytes, and its compressed size. */
    public record Assembled(byte[] manifest, byte[] config, String configDigest, String digest, long size) {}

    public ImageAssembly(BaseImage base) {
        this.base = base;
    }

    /** Adds a layer; {@code createdBy} is what {@code podman history} shows for it. */
    public ImageAssembly layer(Layer layer, String createdBy) {
        layers.add(layer);
        layerHistory.add(createdBy);
        return this;
    }

    public ImageAssembly env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ImageAssembly label(String name, String value) {
        labels.put(name, value);
        return this;
    }

    public ImageAssembly entrypoint(List<String> command) {
        entrypoint = List.copyOf(command);
        return this;
    }

    public ImageAssembly expose(int tcpPort) {
        port = tcpPort;
        return this;
    }

    public Assembled assemble() {
        ObjectNode config = base.config().deepCopy();
        config.put("created", CREATED);
        ObjectNode runtime = config.has("config") && config.get("config").isObject() ? (ObjectNode) config.get("config")
                : config.putObject("config");
        Map<String, String> env = new LinkedHashMap<>();
        runtime.path("Env").forEach(e -> {
            String entry = e.asText();
            int eq = entry.indexOf('=');
            env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        });
        env.putAll(environment);
        ArrayNode envNode = runtime.putArray("Env");
        env.forEach((k, v) -> envNode.add(k + "=" + v));
        ArrayNode entry = runtime.putArray("Entrypoint");
        entrypoint.forEach(entry::add);
        runtime.remove("Cmd");
        if (port != null) {
            runtime.putObject("ExposedPorts").putObject(port + "/tcp");
        }
        ObjectNode labelNode = runtime.has("Labels") && runtime.get("Labels").isObject() ? (ObjectNode) runtime.get("Labels")
                : runtime.putObject("Labels");
        labels.forEach(labelNode::put);
        ArrayNode diffIds = config.with("rootfs").put("type", "layers").withArray("diff_ids");
        ArrayNode history = config.withArray("history");
        for (int i = 0; i < layers.size(); i++) {
            diffIds.add(layers.get(i).diffId());
            history.addObject().put("created", CREATED).put("created_by", layerHistory.get(i));
        }
        byte[] configBytes = bytes(config);
        String configDigest = "sha256:" + RegistryClient.sha256(configBytes);

        ObjectNode manifest = COMPACT.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.putObject("config").put("mediaType", CONFIG_TYPE).put("digest", configDigest).put("size", configBytes.length);
        ArrayNode layerNodes = manifest.putArray("layers");
        long size = configBytes.length;
        for (BaseImage.BaseLayer layer : base.layers()) {
            layerNodes.addObject().put("mediaType", ociLayerType(layer.mediaType())).put("digest", layer.digest())
                    .put("size", layer.size());
            size += layer.size();
        }
        for (Layer layer : layers) {
            layerNodes.addObject().put("mediaType", Layer.MEDIA_TYPE).put("digest", layer.digest()).put("size", layer.size());
            size += layer.size();
        }
        byte[] manifestBytes = bytes(manifest);
        return new Assembled(manifestBytes, configBytes, configDigest, "sha256:" + RegistryClient.sha256(manifestBytes), size);
    }

    /**
     * Pushes the blobs the target lacks (a base on the same registry is mounted, not copied), then
     * the manifest under {@code target}'s tag; returns the digest the registry names the image by.
     */
    public String push(Assembled image, RegistryClient client, ImageReference target, Path workDir, Consumer<String> progress) {
        String repository = target.repository();
        boolean sameRegistry = base.reference().registry().equals(target.registry());
        for (BaseImage.BaseLayer layer : base.layers()) {
            if (client.hasBlob(repository, layer.digest())) {
                continue;
            }
            if (!(sameRegistry && client.mount(repository, layer.digest(), base.reference().repository()))) {
                progress.accept("package: pushing base layer " + layer.digest() + " (" + layer.size() + " bytes)");
                client.upload(repository, layer.digest(), layer.file());
            }
        }
        for (Layer layer : layers) {
            if (!client.hasBlob(repository, layer.digest())) {
                progress.accept("package: pushing layer " + layer.digest() + " (" + layer.size() + " bytes)");
                client.upload(repository, layer.digest(), layer.file());
            }
        }
        if (!client.hasBlob(repository, image.configDigest())) {
            Path configFile = workDir.resolve("config.json");
            try {
                Files.write(configFile, image.config());
            } catch (IOException e) {
                throw new InfrastructureException("cannot write " + configFile + ": " + e.getMessage(), e);
            }
            client.upload(repository, image.configDigest(), configFile);
        }
        String tag = target.tag() != null ? target.tag() : "latest";
        return client.putManifest(repository, tag, image.manifest(), MANIFEST_TYPE);
    }

    /** Docker's layer types name the same bytes as OCI's; an OCI manifest lists them by OCI's names. */
    private static String ociLayerType(String mediaType) {
        return switch (mediaType) {
            case "application/vnd.docker.image.rootfs.diff.tar.gzip" -> Layer.MEDIA_TYPE;
            case "application/vnd.docker.image.rootfs.diff.tar" -> "application/vnd.oci.image.layer.v1.tar";
            default -> mediaType;
        };
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return COMPACT.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
