package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import io.jenkins.plugins.mlops.io.ByteUnits;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A model registry in a directory, the embedded default: the same registered models, numbered
 * versions, tags and aliases as MLflow, with no server. Several builds may register at once:
 * every change happens under an exclusive lock on {@code DIR/.lock} (a file lock between
 * processes, a JVM lock between threads), and every file and version directory appears by an
 * atomic rename, so readers need no lock and never see half a version.
 *
 * <pre>
 * DIR/.lock
 * DIR/models/NAME/registered-model.json   name, created, aliases, the last version number given
 * DIR/models/NAME/versions/N/version.json  source, tags, metrics, ...
 * DIR/models/NAME/versions/N/model/...     the copied model
 * DIR/incoming/                            copies in progress, renamed into versions/N
 * </pre>
 */
public final class LocalRegistry implements ModelRegistry {
    // FileChannel.lock is per process: threads of one JVM would get OverlappingFileLockException.
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final String MODEL_FILE = "registered-model.json";
    private static final String VERSION_FILE = "version.json";
    private static final String REGISTRY_FILE = "not a local registry file";

    private final Path root;
    private final Consumer<String> progress;

    public LocalRegistry(Path root, Consumer<String> progress) {
        this.root = root.toAbsolutePath().normalize();
        this.progress = progress;
    }

    @Override
    public String location() {
        return "file:" + root;
    }

    @Override
    public Registered register(Registration registration) {
        String name = registration.name();
        Optional<Integer> known = findByIdempotencyKey(name, registration.idempotencyKey());
        if (known.isPresent()) {
            return finishExisting(registration, known.get());
        }
        // Copy outside the lock, so that a big model does not hold up other builds.
        Path incoming = stage(registration);
        try {
            return withLock(() -> {
                Optional<Integer> raced = findByIdempotencyKey(name, registration.idempotencyKey());
                if (raced.isPresent()) {
                    progress.accept("registry: " + name + " version " + raced.get() + " already holds this model for this build");
                    pointAliasesAndStage(registration, raced.get());
                    return new Registered(get(name, raced.get()), false);
                }
                Path versions = modelDir(name).resolve("versions");
                Optional<RegisteredModelFile> existing = readModel(name);
                int version = existing.map(RegisteredModelFile::lastVersionGiven).orElse(0);
                version = Math.max(version, lastVersion(versions)) + 1;
                Path target = versions.resolve(String.valueOf(version));
                String source = registration.source().local()
                        ? target.resolve("model").toUri().toString() : registration.source().location();
                VersionFile file = new VersionFile(version, source, registration.runId(), registration.versionTags(),
                        registration.metrics(), registration.description(), registration.stage(), Instant.now());
                AtomicFiles.write(incoming.resolve(VERSION_FILE), Json.write(file));
                createDirectories(versions);
                move(incoming, target);
                RegisteredModelFile model = existing.orElseGet(() -> new RegisteredModelFile(name, Instant.now(), Map.of(), null));
                writeModel(model.withAliases(registration.aliases(), version).withLastVersion(version));
                progress.accept("registry: registered " + name + " version " + version + " in " + location());
                return new Registered(get(name, version), true);
            });
        } finally {
            deleteRecursively(incoming);
        }
    }

    private Registered finishExisting(Registration registration, int version) {
        progress.accept("registry: " + registration.name() + " version " + version + " already holds this model for this build");
        withLock(() -> {
            pointAliasesAndStage(registration, version);
            return null;
        });
        return new Registered(get(registration.name(), version), false);
    }

    /** Converges an already registered version to the request; the caller holds the lock. */
    private void pointAliasesAndStage(Registration registration, int version) {
        writeModel(requireModel(registration.name()).withAliases(registration.aliases(), version));
        if (registration.stage() != null) {
            Path file = versionFile(registration.name(), version);
            AtomicFiles.write(file, Json.write(readVersion(file).withStage(registration.stage())));
        }
    }

    @Override
    public ModelVersion get(String name, int version) {
        Path file = versionFile(name, version);
        if (!Files.isRegularFile(file)) {
            requireModel(name);
            throw new ModelNotFoundException("model '" + name + "' has no version " + version + " in " + location());
        }
        return readVersion(file).toModelVersion(name, requireModel(name).aliasesOf(version));
    }

    @Override
    public ModelVersion getByAlias(String name, String alias) {
        Integer version = requireModel(name).aliases().get(alias);
        if (version == null) {
            throw new ModelNotFoundException("model '" + name + "' has no alias '" + alias + "' in " + location());
        }
        if (!Files.isRegularFile(versionFile(name, version))) {
            throw new UnloadableVersionException(name + "@" + alias + " points at version " + version + ", which is gone from "
                    + location() + ": restore it, or point the alias at a version that exists (mlops models promote)");
        }
        return get(name, version);
    }

    @Override
    public void requireFiles(ModelVersion version) {
        String source = version.source();
        if (source == null || !source.startsWith("file:")) {
            return;
        }
        Path model = Path.of(URI.create(source));
        if (!Files.exists(model) || Files.isDirectory(model) && isEmptyDirectory(model)) {
            throw new UnloadableVersionException(version.name() + " version " + version.version() + " has no model files at "
                    + model + " any more: restore them from a backup of " + location());
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        } catch (IOException e) {
            throw new InfrastructureException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelVersion setAlias(String name, String alias, int version) {
        Registration.requireAlias(alias);
        withLock(() -> {
            get(name, version);
            writeModel(requireModel(name).withAliases(List.of(alias), version));
            return null;
        });
        return get(name, version);
    }

    @Override
    public ModelVersion setTag(String name, int version, String key, String value) {
        withLock(() -> {
            Path file = versionFile(name, version);
            get(name, version);
            AtomicFiles.write(file, Json.write(readVersion(file).withTag(key, value)));
            return null;
        });
        return get(name, version);
    }

    @Override
    public Map<String, Double> recordedMetrics(ModelVersion version) {
        return Lineage.gateMetrics(version.tags());
    }

    @Override
    public List<ModelVersion> list(String name) {
        RegisteredModelFile model = requireModel(name);
        List<ModelVersion> versions = new ArrayList<>();
        for (int version : versionNumbers(modelDir(name).resolve("versions"))) {
            versions.add(readVersion(versionFile(name, version)).toModelVersion(name, model.aliasesOf(version)));
        }
        return versions;
    }

    private Optional<Integer> findByIdempotencyKey(String name, String key) {
        if (readModel(name).isEmpty()) {
            return Optional.empty();
        }
        for (int version : versionNumbers(modelDir(name).resolve("versions"))) {
            if (key.equals(readVersion(versionFile(name, version)).tags().get(Registration.IDEMPOTENCY_TAG))) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** A fresh directory under {@code incoming/} holding the copied model (nothing for a URI source). */
    private Path stage(Registration registration) {
        Path incomingRoot = root.resolve("incoming");
        createDirectories(incomingRoot);
        Path incoming;
        try {
            incoming = Files.createTempDirectory(incomingRoot, "version-");
        } catch (IOException e) {
            throw new InfrastructureException("cannot write to local registry " + location() + ": " + e.getMessage(), e);
        }
        if (!registration.source().local()) {
            return incoming;
        }
        ModelFiles model = ModelFiles.of(registration.source().path());
        try {
            for (ModelFiles.ModelFile file : model.files()) {
                Path target = incoming.resolve("model").resolve(file.relative());
                Files.createDirectories(target.getParent());
                Files.copy(file.path(), target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            deleteRecursively(incoming);
            throw new InfrastructureException("cannot copy the model into local registry " + location() + ": " + e.getMessage(), e);
        }
        progress.accept(String.format(Locale.ROOT, "registry: copied %d files (%s) into %s",
                model.files().size(), ByteUnits.format(model.totalBytes()), location()));
        return incoming;
    }

    private <T> T withLock(Supplier<T> work) {
        createDirectories(root);
        Path lockFile = root.resolve(".lock");
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                return work.get();
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new InfrastructureException("cannot lock local registry " + location() + ": " + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    private RegisteredModelFile requireModel(String name) {
        return readModel(name).orElseThrow(() -> new ModelNotFoundException("no registered model '" + name + "' in " + location()));
    }

    private Optional<RegisteredModelFile> readModel(String name) {
        Registration.requireName(name);
        Path file = modelDir(name).resolve(MODEL_FILE);
        try {
            return Optional.of(Json.mapper().readValue(BoundedFiles.readString(file, Json.MAX_INPUT_BYTES, REGISTRY_FILE),
                    RegisteredModelFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InfrastructureException("local registry file " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private void writeModel(RegisteredModelFile model) {
        AtomicFiles.write(modelDir(model.name()).resolve(MODEL_FILE), Json.write(model));
    }

    private static VersionFile readVersion(Path file) {
        try {
            return Json.mapper().readValue(BoundedFiles.readString(file, Json.MAX_INPUT_BYTES, REGISTRY_FILE), VersionFile.class);
        } catch (IOException e) {
            throw new InfrastructureException("local registry file " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private Path versionFile(String name, int version) {
        return modelDir(name).resolve("versions").resolve(String.valueOf(version)).resolve(VERSION_FILE);
    }

    private Path modelDir(String name) {
        return root.resolve("models").resolve(directoryName(name));
    }

    /** A model name as one safe directory name: anything but letters, digits, '_', '-' and inner dots is %-encoded. */
    static String directoryName(String name) {
        StringBuilder safe = new StringBuilder();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b < 0x80 && (Character.isLetterOrDigit(b) || b == '_' || b == '-' || b == '.' && i > 0);
            safe.append(plain ? String.valueOf((char) b) : String.format(Locale.ROOT, "%%%02X", b));
        }
        return safe.toString();
    }

    private static int lastVersion(Path versions) {
        List<Integer> numbers = versionNumbers(versions);
        return numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1);
    }

    private static List<Integer> versionNumbers(Path versions) {
        if (!Files.isDirectory(versions)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(versions)) {
            return children.map(path -> path.getFileName().toString())
                    .filter(child -> child.matches("[1-9]\\d{0,8}"))
                    .map(Integer::valueOf)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InfrastructureException("cannot list " + versions + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InfrastructureException("cannot move " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InfrastructureException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // A leftover copy under incoming/ costs disk space, not correctness.
        }
    }

    /**
     * {@code registered-model.json}: the model, where its aliases point, and the last version
     * number given, so that a deleted version's number is never given again (null in files
     * written before it was kept).
     */
    record RegisteredModelFile(String name, Instant created, Map<String, Integer> aliases, Integer lastVersion) {
        RegisteredModelFile {
            aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
        }

        RegisteredModelFile withAliases(List<String> moved, int version) {
            Map<String, Integer> updated = new TreeMap<>(aliases);
            moved.forEach(alias -> updated.put(alias, version));
            return new RegisteredModelFile(name, created, updated, lastVersion);
        }

        RegisteredModelFile withLastVersion(int version) {
            return new RegisteredModelFile(name, created, aliases, version);
        }

        /** The highest number this model has given, as far as this file knows: an alias also proves its version existed. */
        int lastVersionGiven() {
            int highest = lastVersion == null ? 0 : lastVersion;
            return aliases.values().stream().reduce(highest, Math::max);
        }

        List<String> aliasesOf(int version) {
            return aliases.entrySet().stream().filter(e -> e.getValue() == version).map(Map.Entry::getKey).sorted().toList();
        }
    }

    /** {@code version.json}: one version, written once (the stage may change later). */
    record VersionFile(int version, String source, String runId, Map<String, String> tags, Map<String, Double> metrics,
            String description, String stage, Instant created) {
        VersionFile {
            tags = tags == null ? Map.of() : new TreeMap<>(tags);
            metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
        }

        VersionFile withTag(String key, String value) {
            Map<String, String> newTags = new TreeMap<>(tags);
            newTags.put(key, value);
            return new VersionFile(version, source, runId, newTags, metrics, description, stage, created);
        }

        VersionFile withStage(String newStage) {
            return new VersionFile(version, source, runId, tags, metrics, description, newStage, created);
        }

        ModelVersion toModelVersion(String name, List<String> aliases) {
            return new ModelVersion(name, version, aliases, source, runId, tags, description, stage, created);
        }
    }
}
