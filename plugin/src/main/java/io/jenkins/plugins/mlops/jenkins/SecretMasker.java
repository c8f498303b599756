package io.jenkins.plugins.mlops.jenkins;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces the values of the build's secrets with {@code ****} in every line the plugin prints,
 * as the credentials-binding plugin does for {@code withCredentials}. Longest first, so a secret
 * that contains another is masked whole.
 */
public final class SecretMasker implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final SecretMasker NONE = new SecretMasker(List.of());
    static final String MASK = "****";

    private final List<String> secrets;

    public SecretMasker(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).distinct().toList();
    }

    /** Masks this one's secrets and {@code other}'s: a step that holds two registries' credentials. */
    public SecretMasker and(SecretMasker other) {
        List<String> both = new java.util.ArrayList<>(secrets);
        both.addAll(other.secrets);
        return new SecretMasker(both);
    }

    public String mask(String line) {
        String masked = line;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
