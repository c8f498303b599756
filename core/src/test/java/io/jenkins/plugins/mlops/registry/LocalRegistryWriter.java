package io.jenkins.plugins.mlops.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A second process for {@link LocalRegistryTest}: registers {@code count} versions of one model
 * with keys {@code prefix-i}, as a parallel build on the same agent would.
 */
public final class LocalRegistryWriter {
    private LocalRegistryWriter() {}

    public static void main(String[] args) {
        Path registry = Path.of(args[0]);
        String name = args[1];
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        LocalRegistry local = new LocalRegistry(registry, line -> { });
        for (int i = 0; i < count; i++) {
            local.register(new Registration(name, ModelSource.parse("s3://bucket/" + prefix + "/" + i), null,
                    List.of("latest-" + prefix), Map.of("writer", prefix), Map.of(), null, null, null, prefix + "-" + i));
        }
    }
}
