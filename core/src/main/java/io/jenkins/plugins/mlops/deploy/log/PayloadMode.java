package io.jenkins.plugins.mlops.deploy.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How much of a request the prediction log keeps: all of it, a hash that still joins equal requests, or nothing. */
public enum PayloadMode {
    FULL,
    /** {@code sha256:<hex>}: equal requests stay joinable, the data is not stored. */
    HASHED,
    /** For data that must not be stored at all. */
    NONE;

    public String apply(byte[] payload) {
        if (payload == null) {
            return null;
        }
        return switch (this) {
            case FULL -> new String(payload, StandardCharsets.UTF_8);
            case HASHED -> "sha256:" + HexFormat.of().formatHex(sha256(payload));
            case NONE -> null;
        };
    }

    private static byte[] sha256(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
