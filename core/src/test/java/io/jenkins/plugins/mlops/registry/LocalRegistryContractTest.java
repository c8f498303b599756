package io.jenkins.plugins.mlops.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryContractTest extends ModelRegistryContract {
    @TempDir
    Path registryDir;

    @Override
    ModelRegistry registry() {
        return new LocalRegistry(registryDir, progress::add);
    }
}
