package io.jenkins.plugins.mlops.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A gzipped tar layer made from a directory, as Jib makes its layers: entries sorted by name,
 * owner root, a fixed time, modes reduced to 0755/0644, so that the same files give the same
 * digest wherever and whenever they are archived. Java's gzip header carries no time or name.
 *
 * @param file the compressed layer
 * @param digest {@code sha256:} of the compressed bytes (the blob's name in a registry)
 * @param diffId {@code sha256:} of the uncompressed tar (what the image config lists)
 * @param size compressed bytes
 */
public record Layer(Path file, String digest, String diffId, long size) {
    public static final String MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    /**
     * Archives {@code source}'s tree under {@code prefix} (e.g. {@code opt/mlops/model}) into
     * {@code file}; {@code exclude} names top-level entries of {@code source} left out.
     */
    public static Layer of(Path source, String prefix, Path file, Set<String> exclude) {
        try (OutputStream raw = Files.newOutputStream(file)) {
            MessageDigest compressed = sha256();
            MessageDigest uncompressed = sha256();
            DigestOutputStream counted = new DigestOutputStream(raw, compressed);
            try (GZIPOutputStream gzip = new GZIPOutputStream(counted, 1 << 16);
                    DigestOutputStream tarBytes = new DigestOutputStream(gzip, uncompressed)) {
                TarWriter tar = new TarWriter(tarBytes);
                String[] parents = prefix.split("/");
                StringBuilder parent = new StringBuilder();
                for (String component : parents) {
                    parent.append(component).append('/');
                    tar.directory(parent.toString(), 0755);
                }
                for (Path path : sortedTree(source, exclude)) {
                    String name = prefix + "/" + source.relativize(path).toString().replace('\\', '/');
                    if (Files.isSymbolicLink(path)) {
                        tar.symlink(name, Files.readSymbolicLink(path).toString());
                    } else if (Files.isDirectory(path)) {
                        tar.directory(name, 0755);
                    } else {
                        try (InputStream in = Files.newInputStream(path)) {
                            tar.file(name, executable(path) ? 0755 : 0644, Files.size(path), in);
                        }
                    }
                }
                tar.finish();
            }
            return new Layer(file, "sha256:" + hex(compressed), "sha256:" + hex(uncompressed), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive " + source + " into a layer: " + e.getMessage(), e);
        }
    }

    /** Depth-first, each directory's entries sorted by name: the order a reader sees is fixed. */
    private static List<Path> sortedTree(Path source, Set<String> exclude) throws IOException {
        List<Path> paths = new ArrayList<>();
        walk(source, source, exclude, paths);
        return paths;
    }

    private static void walk(Path root, Path dir, Set<String> exclude, List<Path> into) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.filter(p -> !(dir.equals(root) && exclude.contains(p.getFileName().toString())))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        for (Path child : children) {
            into.add(child);
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                walk(root, child, exclude, into);
            }
        }
    }

    private static boolean executable(Path path) {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
