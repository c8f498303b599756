package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal Debian root filesystem with python3, made offline from the Debian mirror by
 * {@code mmdebstrap}: the base the demo and the packaging tests build images on. It takes a
 * minute, so it is cached in {@code ~/.cache/mlops/base-rootfs}, keyed by suite, package list and
 * exclusions: a changed list makes a new one.
 */
public final class PythonBaseRootfs {
    public static final String SUITE = "bookworm";
    /**
     * python3's interpreter and standard library without the rest of python3's dependencies, and the
     * C++ runtime that manylinux wheels (numpy, scipy) link against; no docs, manuals or locales.
     */
    static final List<String> PACKAGES = List.of("python3-minimal", "libpython3.11-stdlib", "libstdc++6", "ca-certificates");
    private static final List<String> EXCLUDED = List.of("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*",
            "/usr/share/info/*");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private PythonBaseRootfs() {}

    /** The default cache, {@code ~/.cache/mlops/base-rootfs}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "mlops", "base-rootfs");
    }

    /** Whether {@link #get} finds it made already (else it runs mmdebstrap, which must be installed). */
    public static boolean cached(Path cache) {
        return Files.isRegularFile(file(cache));
    }

    /** The cached root filesystem tarball, made now if the cache lacks it; a second caller waits for the first. */
    public static synchronized Path get(Path cache) {
        Path rootfs = file(cache);
        if (Files.isRegularFile(rootfs)) {
            return rootfs;
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempFile(cache, "rootfs", ".tar.partial");
            try {
                List<String> command = new ArrayList<>(List.of(HostPrograms.require("mmdebstrap", "mmdebstrap").toString(),
                        "--variant=essential", "--include=" + String.join(",", PACKAGES), "--format=tar"));
                EXCLUDED.forEach(path -> command.add("--dpkgopt=path-exclude=" + path));
                command.addAll(List.of(SUITE, partial.toString()));
                HostCommand.run(command, TIMEOUT);
                // Whole or absent: another run never reads a half-written base.
                Files.move(partial, rootfs, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return rootfs;
        } catch (IOException e) {
            throw new InfrastructureException("cannot write the base root filesystem under " + cache + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path cache) {
        String key = sha256(SUITE + "\n" + String.join(",", PACKAGES) + "\n" + String.join(",", EXCLUDED)).substring(0, 16);
        return cache.resolve("debian-" + SUITE + "-python-" + key + ".tar");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
