package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.io.Redaction;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The user name and password an image registry takes (basic auth, or exchanged for a bearer
 * token where the registry asks for one). {@link #toString()} never shows the password, and
 * every error text that echoes it is masked.
 */
public final class RegistryAuth implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null);
    /** The command line's variables; the plugin takes a username/password credentials id instead. */
    public static final String USERNAME_VARIABLE = "MLOPS_IMAGE_REGISTRY_USERNAME";
    public static final String PASSWORD_VARIABLE = "MLOPS_IMAGE_REGISTRY_PASSWORD";

    private final String username;
    private final String password;

    public RegistryAuth(String username, String password) {
        this.username = username == null || username.isBlank() ? null : username;
        this.password = this.username == null ? null : password == null ? "" : password;
        Redaction.rememberBasicAuth(this.username, this.password);
    }

    public static RegistryAuth fromEnvironment(Map<String, String> environment) {
        return new RegistryAuth(environment.get(USERNAME_VARIABLE), environment.get(PASSWORD_VARIABLE));
    }

    private Object readResolve() {
        Redaction.rememberBasicAuth(username, password);
        return this;
    }

    public boolean anonymous() {
        return username == null;
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return anonymous() ? "anonymous" : "user " + username;
    }
}
