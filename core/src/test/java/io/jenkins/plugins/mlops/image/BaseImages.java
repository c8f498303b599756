package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The base images the packaging tests build on: the demo's {@link PythonBaseRootfs} (mmdebstrap,
 * cached in ~/.cache/mlops), and one without Python.
 */
public final class BaseImages {
    private BaseImages() {}

    /** The cached root filesystem with python3, made now if the cache lacks it. */
    public static Path pythonRootfs() {
        if (!PythonBaseRootfs.cached(PythonBaseRootfs.defaultCache())) {
            TestEnvironment.command("mmdebstrap"); // under CI=true a missing mmdebstrap fails here, naming it
        }
        return PythonBaseRootfs.get(PythonBaseRootfs.defaultCache());
    }

    /** A root filesystem of one file and no Python: a base packaging must refuse. */
    public static Path rootfsWithoutPython(Path dir) {
        Path tar = dir.resolve("no-python.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarWriter writer = new TarWriter(out);
            writer.directory("etc", 0755);
            byte[] release = "ID=empty\n".getBytes(StandardCharsets.UTF_8);
            writer.file("etc/os-release", 0644, release.length, new java.io.ByteArrayInputStream(release));
            writer.finish();
            return tar;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
