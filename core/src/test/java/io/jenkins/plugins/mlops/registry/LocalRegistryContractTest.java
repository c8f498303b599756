package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryContractTest extends ModelRegistryContract {
    @TempDir
    Path registryDir;

    @Override
    ModelRegistry registry() {
        return new LocalRegistry(registryDir, progress::add);
    }

    @Override
    void deleteVersion(String name, int version) throws IOException {
        deleteTree(versionDir(name, version));
    }

    @Override
    void deleteModelFiles(ModelVersion version) throws IOException {
        deleteTree(versionDir(version.name(), version.version()).resolve("model"));
    }

    private Path versionDir(String name, int version) {
        return registryDir.resolve("models").resolve(LocalRegistry.directoryName(name)).resolve("versions")
                .resolve(String.valueOf(version));
    }

    @Test
    void anAliasWhoseVersionDirectoryIsGoneIsUnloadableNotMissingAndStays() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("a"), "key-1", List.of("champion"), Map.of()));
        deleteVersion(name, 1);

        assertThatThrownBy(() -> registry().getByAlias(name, "champion")).isInstanceOf(UnloadableVersionException.class)
                .isNotInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining(name + "@champion points at version 1, which is gone");
        ModelVersion next = registry().register(registration(name, model("b"), "key-2", List.of("staging"), Map.of())).version();
        assertThat(next.version()).isEqualTo(2);
        assertThatThrownBy(() -> registry().getByAlias(name, "champion")).isInstanceOf(UnloadableVersionException.class);
    }

    @Test
    void progressCountsASmallModelInBytesNotAsZeroMegabytes() throws IOException {
        registry().register(registration(uniqueName(), model("small"), "key-small", List.of(), Map.of()));

        assertThat(progress).anyMatch(line -> line.matches("registry: copied 2 files \\(\\d+ B\\) into .*"));
    }
}
