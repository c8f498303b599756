package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the directory registry has to get right: concurrent writers, its files, odd names. */
class LocalRegistryTest {
    @TempDir
    Path dir;

    @Test
    void manyThreadsRegisteringAtOnceGetUniqueVersionsOneToN() throws Exception {
        int threads = 12;
        int each = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String writer = "t" + t;
            // A new LocalRegistry per thread, as separate builds in one Jenkins agent JVM would have.
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    new LocalRegistry(dir, line -> { }).register(uriRegistration("churn", writer + "-" + i));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<ModelVersion> versions = new LocalRegistry(dir, line -> { }).list("churn");
        assertThat(versions).extracting(ModelVersion::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, threads * each).boxed().toList());
        assertThat(versions).extracting(v -> v.tags().get(Registration.IDEMPOTENCY_TAG)).doesNotHaveDuplicates();
    }

    @Test
    void theSameKeyFromManyThreadsAtOnceMakesOneVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Registered>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> new LocalRegistry(dir, line -> { }).register(uriRegistration("churn", "one-key"))));
        }
        long created = 0;
        for (Future<Registered> future : futures) {
            Registered registered = future.get(60, TimeUnit.SECONDS);
            assertThat(registered.version().version()).isEqualTo(1);
            created += registered.created() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(created).isEqualTo(1);
        assertThat(new LocalRegistry(dir, line -> { }).list("churn")).hasSize(1);
    }

    @Test
    void twoProcessesRegisteringAtOnceLoseNoVersion() throws Exception {
        int each = 25;
        Process first = writerProcess("p1", each);
        Process second = writerProcess("p2", each);
        LocalRegistry here = new LocalRegistry(dir, line -> { });
        for (int i = 0; i < each; i++) {
            here.register(uriRegistration("churn", "here-" + i));
        }
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(new String(first.getErrorStream().readAllBytes())).isZero();
        assertThat(second.exitValue()).as(new String(second.getErrorStream().readAllBytes())).isZero();

        List<ModelVersion> versions = here.list("churn");
        assertThat(versions).extracting(ModelVersion::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 3 * each).boxed().toList());
        assertThat(versions).extracting(v -> v.tags().get("writer")).filteredOn("p1"::equals).hasSize(each);
        assertThat(versions).extracting(v -> v.tags().get("writer")).filteredOn("p2"::equals).hasSize(each);
        assertThat(here.getByAlias("churn", "latest-p1").tags()).containsEntry(Registration.IDEMPOTENCY_TAG, "p1-" + (each - 1));
    }

    @Test
    void theModelIsCopiedIntoTheRegistryAndNothingIsLeftHalfWritten() throws IOException {
        Path model = Files.createDirectories(dir.resolve("workspace/model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");
        LocalRegistry registry = new LocalRegistry(dir.resolve("registry"), line -> { });

        ModelVersion version = registry.register(new Registration("churn", ModelSource.parse(model.toString()), null,
                List.of(), Map.of(), Map.of("auc", 0.9), null, null, null, "k")).version();
        Files.delete(model.resolve("MLmodel"));

        Path copied = Path.of(URI.create(version.source()));
        assertThat(copied).startsWith(dir.resolve("registry"));
        assertThat(copied.resolve("MLmodel")).hasContent("flavors: {}");
        try (var incoming = Files.list(dir.resolve("registry/incoming"))) {
            assertThat(incoming).isEmpty();
        }
    }

    @Test
    void aSingleModelFileIsCopiedUnderItsName() throws IOException {
        Path file = Files.writeString(dir.resolve("model.pkl"), "pickle");
        ModelVersion version = new LocalRegistry(dir.resolve("registry"), line -> { }).register(new Registration("churn",
                ModelSource.parse(file.toString()), null, List.of(), Map.of(), Map.of(), null, null, null, "k")).version();

        assertThat(Path.of(URI.create(version.source())).resolve("model.pkl")).hasContent("pickle");
    }

    @Test
    void modelNamesThatLookLikePathsStayInsideTheRegistry() {
        LocalRegistry registry = new LocalRegistry(dir.resolve("registry"), line -> { });
        for (String name : List.of("../escape", "team/churn", "..", "Churn Model ü")) {
            registry.register(uriRegistration(name, "k"));
            assertThat(registry.get(name, 1).name()).isEqualTo(name);
        }
        assertThat(dir.resolve("escape")).doesNotExist();
        assertThat(LocalRegistry.directoryName("../escape")).isEqualTo("%2E.%2Fescape");
        assertThat(LocalRegistry.directoryName("churn.v2_a-b")).isEqualTo("churn.v2_a-b");
    }

    @Test
    void aDamagedVersionFileIsReportedWithItsPath() throws IOException {
        LocalRegistry registry = new LocalRegistry(dir, line -> { });
        registry.register(uriRegistration("churn", "k"));
        Path versionFile = dir.resolve("models/churn/versions/1/version.json");
        Files.writeString(versionFile, "{ not json");

        assertThatThrownBy(() -> registry.get("churn", 1))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining(versionFile.toString());
    }

    private Process writerProcess(String prefix, int count) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LocalRegistryWriter.class.getName(),
                dir.toString(), "churn", prefix, String.valueOf(count))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Registration uriRegistration(String name, String key) {
        return new Registration(name, ModelSource.parse("s3://bucket/" + key), null, List.of(), Map.of(), Map.of(),
                null, null, null, key);
    }
}
