package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void progressCountsASmallModelInBytesNotAsZeroMegabytes() throws IOException {
        registry().register(registration(uniqueName(), model("small"), "key-small", List.of(), Map.of()));

        assertThat(progress).anyMatch(line -> line.matches("registry: copied 2 files \\(\\d+ B\\) into .*"));
    }
}
