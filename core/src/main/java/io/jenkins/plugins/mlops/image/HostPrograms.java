package io.jenkins.plugins.mlops.image;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The host's programs that local image work needs (docker-registry, mmdebstrap, podman, runc), found as a shell would. */
public final class HostPrograms {
    private HostPrograms() {}

    /** The program {@code name} on this process's PATH, if installed. */
    public static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        // runc lives in /usr/sbin, which a non-login shell's PATH may lack.
        Path sbin = Path.of("/usr/sbin", name);
        return Files.isExecutable(sbin) ? Optional.of(sbin) : Optional.empty();
    }

    /** The program, or an {@link IllegalStateException} naming the Debian package to install. */
    public static Path require(String name, String debianPackage) {
        return onPath(name).orElseThrow(() -> new IllegalStateException("'" + name + "' is not on PATH: apt-get install "
                + debianPackage));
    }
}
