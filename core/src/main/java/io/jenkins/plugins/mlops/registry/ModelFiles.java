package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a local model (a directory such as an MLflow model, or one file such as
 * {@code model.pkl}), in a stable order, with the digest that identifies their content.
 *
 * @param files each file with its path relative to the model, '/'-separated
 */
record ModelFiles(List<ModelFile> files) {

    record ModelFile(Path path, String relative, long size) {}

    static ModelFiles of(Path model) {
        if (Files.isRegularFile(model)) {
            ModelFile only = file(model, model.getFileName().toString());
            if (only.size() == 0) {
                throw new BadInputException("model " + model + " is empty (0 bytes): did the training step write it?");
            }
            return new ModelFiles(List.of(only));
        }
        try (Stream<Path> walk = Files.walk(model)) {
            List<ModelFile> files = walk.filter(Files::isRegularFile)
                    .map(path -> file(path, relative(model, path)))
                    .sorted((a, b) -> a.relative().compareTo(b.relative()))
                    .toList();
            if (files.isEmpty()) {
                throw new BadInputException("model directory " + model + " has no files");
            }
            if (files.stream().allMatch(file -> file.size() == 0)) {
                throw new BadInputException("model directory " + model + " holds only empty files: did the training step write it?");
            }
            return new ModelFiles(files);
        } catch (IOException e) {
            throw new BadInputException("cannot list model directory " + model + ": " + e.getMessage(), e);
        }
    }

    long totalBytes() {
        return files.stream().mapToLong(ModelFile::size).sum();
    }

    /** SHA-256 over every file's relative path and content: equal digests, equal models. */
    String sha256() {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[1 << 16];
        for (ModelFile file : files) {
            digest.update(file.relative().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = Files.newInputStream(file.path())) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new BadInputException("cannot read model file " + file.path() + ": " + e.getMessage(), e);
            }
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static ModelFile file(Path path, String relative) {
        try {
            return new ModelFile(path, relative, Files.size(path));
        } catch (IOException e) {
            throw new BadInputException("cannot read model file " + path + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }
}
