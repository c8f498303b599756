package io.jenkins.plugins.mlops.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code data_fingerprint} a registry records as lineage: {@code sha256:<hex>} of the file's
 * bytes; for several files, the SHA-256 of their sorted "hash name" lines, so that renaming the
 * directory keeps it and changing, adding or renaming a partition changes it.
 */
public final class Fingerprint {
    private static final int BUFFER = 1 << 20;

    private Fingerprint() {}

    public static String of(DataSource source) {
        List<Path> files = source.files();
        if (files.size() == 1) {
            return "sha256:" + HexFormat.of().formatHex(digest(files.get(0)));
        }
        Path root = Path.of(source.path()).toAbsolutePath();
        MessageDigest combined = sha256();
        for (Path file : files) {
            String line = HexFormat.of().formatHex(digest(file)) + "  "
                    + root.relativize(file.toAbsolutePath()).toString().replace('\\', '/') + "\n";
            combined.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(combined.digest());
    }

    private static byte[] digest(Path file) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
