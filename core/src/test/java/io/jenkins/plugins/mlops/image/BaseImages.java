package io.jenkins.plugins.mlops.image;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The base images the packaging tests build on, made offline from the Debian mirror: a minimal
 * Debian root filesystem with python3 by {@code mmdebstrap} (cached between runs in
 * ~/.cache/mlops-test, keyed by suite and package list, since it takes a minute), and one without
 * Python.
 */
public final class BaseImages {
    static final String SUITE = "bookworm";
    /**
     * python3's interpreter and standard library without the rest of python3's dependencies, and the
     * C++ runtime that manylinux wheels (numpy, scipy) link against; no docs, manuals or locales.
     */
    static final List<String> PACKAGES = List.of("python3-minimal", "libpython3.11-stdlib", "libstdc++6", "ca-certificates");
    private static final List<String> EXCLUDED = List.of("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*",
            "/usr/share/info/*");

    private BaseImages() {}

    /** The cached root filesystem with python3, made now if the cache lacks it. */
    public static synchronized Path pythonRootfs() {
        String key = sha256(SUITE + "\n" + String.join(",", PACKAGES) + "\n" + String.join(",", EXCLUDED)).substring(0, 16);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "mlops-test", "base-rootfs");
        Path rootfs = cache.resolve("debian-" + SUITE + "-python-" + key + ".tar");
        if (Files.isRegularFile(rootfs)) {
            return rootfs;
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempFile(cache, "rootfs", ".tar.partial");
            List<String> command = new java.util.ArrayList<>(List.of(TestEnvironment.command("mmdebstrap").toString(),
                    "--variant=essential", "--include=" + String.join(",", PACKAGES), "--format=tar"));
            EXCLUDED.forEach(path -> command.add("--dpkgopt=path-exclude=" + path));
            command.addAll(List.of(SUITE, partial.toString()));
            Path log = cache.resolve("mmdebstrap.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(900, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail("mmdebstrap failed: " + Files.readString(log));
            }
            Files.move(partial, rootfs, StandardCopyOption.ATOMIC_MOVE);
            return rootfs;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
